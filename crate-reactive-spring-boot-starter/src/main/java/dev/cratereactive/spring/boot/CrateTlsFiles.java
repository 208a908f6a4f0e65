package dev.cratereactive.spring.boot;

import dev.cratereactive.tls.CrateTls;
import org.jspecify.annotations.Nullable;

/** {@code cratedb.tls.*} to a {@link CrateTls}; loaded only when crate-reactive-tls is on the class path. */
final class CrateTlsFiles {

    private CrateTlsFiles() {
    }

    static CrateTls toCrateTls(CrateProperties.Tls tls) {
        CrateTls.Builder builder = CrateTls.builder()
            .verifyServerCertificate(tls.isVerifyServerCertificate())
            .relaxMinimumVersion(tls.isRelaxMinimumVersion());
        if (tls.getCaCertificate() != null) {
            builder.caCertificate(tls.getCaCertificate());
        }
        if (tls.getTrustStore() != null) {
            builder.trustStore(tls.getTrustStore(), chars(tls.getTrustStorePassword()));
        }
        if (tls.getClientCertificate() != null || tls.getClientKey() != null) {
            if (tls.getClientCertificate() == null || tls.getClientKey() == null) {
                throw new IllegalArgumentException(
                    "cratedb.tls.client-certificate and cratedb.tls.client-key: set both or neither");
            }
            builder.clientCertificate(tls.getClientCertificate(), tls.getClientKey());
        }
        if (tls.getClientKeyPassword() != null) {
            builder.clientKeyPassword(tls.getClientKeyPassword().toCharArray());
        }
        if (tls.getKeyStore() != null) {
            builder.keyStore(tls.getKeyStore(), chars(tls.getKeyStorePassword()));
        }
        return builder.build();
    }

    private static char[] chars(@Nullable String password) {
        return password == null ? new char[0] : password.toCharArray();
    }
}
