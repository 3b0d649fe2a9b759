package org.cpis.engine.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.cpis.engine.app.Engine;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.db.Database;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;

/**
 * A whole engine started in-process on a temp data folder and a free MLLP port, plus the small
 * helpers intake tests share: connect, send, and read the database the engine writes.
 */
public final class EngineFixture implements AutoCloseable {
    /** The repository's routes folder: tests run the same routes the product ships. */
    public static final Path ROUTES = Path.of("routes").toAbsolutePath().normalize();

    private final Engine engine;
    private final int mllpPort;
    private final Path dataDir;

    private EngineFixture(Engine engine, int mllpPort, Path dataDir) {
        this.engine = engine;
        this.mllpPort = mllpPort;
        this.dataDir = dataDir;
    }

    /** Starts an engine on {@code dataDir} with the given extra properties (they win over the defaults). */
    public static EngineFixture start(Path dataDir, Map<String, String> extra) throws Exception {
        Properties p = baseProperties(dataDir);
        extra.forEach(p::setProperty);
        int port = Integer.parseInt(p.getProperty("cpis.mllp.port"));
        return new EngineFixture(Engine.start(EngineConfig.load(p, Map.of())), port, dataDir);
    }

    public static Properties baseProperties(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("cpis.data.dir", dataDir.toString());
        p.setProperty("cpis.mllp.port", String.valueOf(freePort()));
        p.setProperty("cpis.mllp.host", "127.0.0.1");
        p.setProperty("cpis.http.port", "0");
        p.setProperty("cpis.http.host", "127.0.0.1");
        p.setProperty("cpis.routes.dir", ROUTES.toString());
        return p;
    }

    /**
     * The default H2 file under a data folder, shared between an engine JVM and the test through
     * H2's automatic server mode. H2 refuses that mode beside the default's DB_CLOSE_ON_EXIT=FALSE,
     * so an engine on this URL keeps H2's own exit hook.
     */
    public static String sharedH2Url(Path dataDir) {
        return Database.defaultUrl(dataDir).replace(";DB_CLOSE_ON_EXIT=FALSE", "") + ";AUTO_SERVER=TRUE";
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public Engine engine() {
        return engine;
    }

    public int mllpPort() {
        return mllpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public MllpClient connect() throws IOException {
        return MllpClient.connect("127.0.0.1", mllpPort, null, 30_000);
    }

    /** Sends one message on a fresh connection and returns its ACK. */
    public Ack send(String message) throws IOException {
        return send(Hl7.bytes(message));
    }

    public Ack send(byte[] message) throws IOException {
        try (MllpClient c = connect()) {
            return c.send(message);
        }
    }

    /** The status code of {@code GET /health} on the engine's HTTP port. */
    public int healthStatus() throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + engine.http().port() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A counter from {@code GET /metrics} (0 when absent). */
    public long metric(String name) throws IOException, InterruptedException {
        String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + engine.http().port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("counters").path(name).asLong(0);
    }

    public DataSource dataSource() {
        return engine.database().dataSource();
    }

    /** The first column of the first row, as a long (e.g. a count). */
    public long queryLong(String sql, Object... args) {
        List<Object> row = queryColumn(sql, args);
        return row.isEmpty() || row.get(0) == null ? 0 : ((Number) row.get(0)).longValue();
    }

    /** The first column of every row. */
    public List<Object> queryColumn(String sql, Object... args) {
        return queryColumn(dataSource(), sql, args);
    }

    public static List<Object> queryColumn(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection()) {
            return queryColumn(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Object> queryColumn(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Object> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
            return out;
        }
    }

    /**
     * How many rows of received_message carry this control id with a final status: processed (looked up
     * or not), filtered by the dialect's rules, or dead-lettered because it could not be mapped.
     */
    public long processedCount(String controlId) {
        return queryLong("SELECT COUNT(*) FROM received_message WHERE control_id = ?"
                + " AND status IN ('processed', 'filtered', 'dead-letter')", controlId);
    }

    /** How many rows of received_message carry this control id, whatever their status. */
    public long receivedCount(String controlId) {
        return queryLong("SELECT COUNT(*) FROM received_message WHERE control_id = ?", controlId);
    }

    /** The raw bytes of every rejected message. */
    public List<byte[]> rejectedRaw() {
        return queryColumn("SELECT raw FROM rejected_message ORDER BY id").stream().map(o -> (byte[]) o).toList();
    }

    @Override
    public void close() {
        engine.close();
    }
}
