package org.cpis.engine.flagstore;

import javax.sql.DataSource;
import org.cpis.engine.db.Database;

/** The flag store suite on H2 in PostgreSQL mode (the engine's default database). */
class FlagStoreH2IT extends AbstractFlagStoreIT {
    private Database db;

    @Override
    protected DataSource dataSource() throws Exception {
        db = Database.open(Database.defaultUrl(scratch), "", "", 8);
        return db.dataSource();
    }

    @Override
    protected void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }
}
