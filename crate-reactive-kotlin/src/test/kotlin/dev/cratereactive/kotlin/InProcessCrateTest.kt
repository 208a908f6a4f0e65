package dev.cratereactive.kotlin

import dev.cratereactive.CrateClient
import dev.cratereactive.testing.CrateTestServer
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach

/** A test against the in-process CrateDB stand-in: its client and coroutine facade, both closed after the test. */
abstract class InProcessCrateTest {

    protected val crate: CrateTestServer = CrateTestServer.start()
    protected val client: CrateClient = CrateClient.create(crate.url())
    protected val db = client.coroutines()

    /** Awaits (up to 10 s, on real time, not the test's virtual clock) the server seeing every connection closed. */
    protected suspend fun awaitNoOpenConnections() = withContext(Dispatchers.Default) {
        withTimeout(10_000) {
            while (crate.openConnections() > 0) {
                delay(10)
            }
        }
    }

    @AfterEach
    fun closeClientAndServer() {
        client.close()
        crate.close()
    }
}
