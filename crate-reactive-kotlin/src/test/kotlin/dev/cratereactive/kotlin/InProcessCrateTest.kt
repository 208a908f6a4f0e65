package dev.cratereactive.kotlin

import dev.cratereactive.CrateClient
import dev.cratereactive.testing.CrateTestServer
import org.junit.jupiter.api.AfterEach

/** A test against the in-process CrateDB stand-in: its client and coroutine facade, both closed after the test. */
abstract class InProcessCrateTest {

    protected val crate: CrateTestServer = CrateTestServer.start()
    protected val client: CrateClient = CrateClient.create(crate.url())
    protected val db = client.coroutines()

    @AfterEach
    fun closeClientAndServer() {
        client.close()
        crate.close()
    }
}
