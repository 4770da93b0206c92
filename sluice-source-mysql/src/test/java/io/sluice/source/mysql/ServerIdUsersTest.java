package io.sluice.source.mysql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerIdUsersTest {

    @Test
    void aRegistrationNamesItsJobAlsoWhenTheServerCutItsHost() {
        assertTrue(ServerIdUsers.registeredAs("worker-2/sluice:orders", "orders"));
        assertFalse(ServerIdUsers.registeredAs("worker-2/sluice:orders-eu", "orders"));
        assertFalse(ServerIdUsers.registeredAs("worker-2/sluice:order", "orders"), "a shorter name that was not cut is another job");
        assertFalse(ServerIdUsers.registeredAs("replica-7", "orders"));
        String longName = "a-connector-name-longer-than-the-server-keeps-of-a-host";
        String cut = ("worker-2.example.com/sluice:" + longName).substring(0, 60);
        assertTrue(ServerIdUsers.registeredAs(cut, longName));
        assertFalse(ServerIdUsers.registeredAs(cut, "another-" + longName));
    }

    @Test
    void theGrantToListReplicasIsTheOneOfTheServersFlavour() {
        // MySQL's SHOW SLAVE HOSTS needs REPLICATION SLAVE; MySQL rejects MariaDB's REPLICATION MASTER ADMIN
        assertEquals("GRANT REPLICATION SLAVE ON *.* TO 'sluice'@'%'", ServerIdUsers.listReplicasGrant(false, "sluice"));
        assertEquals("GRANT REPLICATION MASTER ADMIN ON *.* TO 'sluice'@'%' (MariaDB 10.5+; REPLICATION SLAVE before)", ServerIdUsers.listReplicasGrant(true, "sluice"));
    }
}
