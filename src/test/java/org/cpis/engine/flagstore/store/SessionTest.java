package org.cpis.engine.flagstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionTest {

    @Test
    void onlyQueriesCountAsReadsSoEveryOtherStatementGetsItsCommitSynced() {
        assertThat(Session.isRead("SELECT id FROM fs_flag WHERE id = ?")).isTrue();
        assertThat(Session.isRead("  select count(*) FROM fs_flag")).isTrue();
        assertThat(Session.isRead("WITH x AS (SELECT 1) SELECT * FROM x")).isTrue();
        assertThat(Session.isRead("INSERT INTO fs_flag (id) VALUES (?)")).isFalse();
        assertThat(Session.isRead("UPDATE fs_flag SET version = ?")).isFalse();
        assertThat(Session.isRead("DELETE FROM fs_flag WHERE id = ?")).isFalse();
        assertThat(Session.isRead("MERGE INTO fs_patient KEY (nhs) VALUES (?)")).isFalse();
    }
}
