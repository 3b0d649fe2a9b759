package org.cpis.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.testing.EngineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real H2 file database: callers share transactions, and one bad write fails alone. */
class GroupCommitIT {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Database.defaultUrl(dir), "", "", 4);
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE gc_test (k VARCHAR(20) PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long rowsWithKey(String key) {
        return (Long) EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test WHERE k = ?", key).get(0);
    }

    static GroupCommit.Work insert(String key) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gc_test (k) VALUES (?)")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
        };
    }

    @Test
    void submitReturnsAtOnceAndItsFutureCompletesWhenTheWriteHasCommitted() throws Exception {
        GroupCommit commits = db.groupCommit();
        CountDownLatch release = new CountDownLatch(1);
        var held = commits.submit(c -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            insert("held").run(c);
        });
        var failing = commits.submit(insert("held"));
        assertThat(held).as("still inside the writer").isNotDone();
        release.countDown();
        held.get(10, java.util.concurrent.TimeUnit.SECONDS);
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement("SELECT COUNT(*) FROM gc_test")) {
            var rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        assertThatThrownBy(() -> failing.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void writesWaitingTogetherShareOneCommit() throws Exception {
        GroupCommit commits = db.groupCommit();
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(11);
        try {
            // Hold the writer inside a transaction while ten more writes queue up behind it.
            Future<?> first = pool.submit(() -> {
                commits.execute(c -> {
                    writerBusy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    insert("first").run(c);
                });
                return null;
            });
            writerBusy.await();
            long before = commits.commits();
            List<Future<?>> rest = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = "q" + i;
                rest.add(pool.submit(() -> {
                    commits.execute(insert(key));
                    return null;
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commits.queued() == 10);
            release.countDown();
            first.get();
            for (Future<?> f : rest) {
                f.get();
            }
            assertThat(commits.commits() - before).as("the held batch, then the ten together").isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test")).containsExactly(11L);
    }

    @Test
    void concurrentWritesAreAllCommittedBeforeTheirCallersReturn() throws Exception {
        GroupCommit commits = db.groupCommit();
        int writers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> done = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String key = "k" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    commits.execute(insert(key));
                    // Visible to another connection as soon as execute returns: committed, not just written.
                    return (Long) EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test WHERE k = ?", key).get(0);
                }));
            }
            go.countDown();
            for (Future<Long> f : done) {
                assertThat(f.get()).isEqualTo(1L);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test")).containsExactly((long) writers);
    }

    @Test
    void aFailingWriteFailsAloneAndItsNeighboursCommit() throws Exception {
        GroupCommit commits = db.groupCommit();
        commits.execute(insert("taken"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> good = new ArrayList<>();
        try {
            Future<?> bad = pool.submit(() -> {
                go.await();
                commits.execute(insert("taken")); // primary key violation
                return null;
            });
            for (int i = 0; i < 7; i++) {
                String key = "n" + i;
                good.add(pool.submit(() -> {
                    go.await();
                    commits.execute(insert(key));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : good) {
                f.get();
            }
            assertThatThrownBy(bad::get).hasCauseInstanceOf(SQLException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test WHERE k LIKE 'n%'")).containsExactly(7L);
    }

    @Test
    void callersAreToldOnlyAfterTheAfterCommitStepHasRun() throws Exception {
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit commits = new GroupCommit(db.dataSource(), 16, Duration.ofSeconds(10), c -> {
            syncing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            var done = commits.submit(insert("synced"));
            assertThat(syncing.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rowsWithKey("synced")).as("committed before the sync").isEqualTo(1);
            assertThat(done).as("not reported while the sync runs").isNotDone();
            release.countDown();
            done.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            commits.close();
        }
    }

    @Test
    void aFailedAfterCommitStepFailsTheWritesItFollowed() throws Exception {
        GroupCommit commits = new GroupCommit(db.dataSource(), 16, Duration.ofSeconds(10), c -> {
            throw new SQLException("disk sync failed");
        });
        try {
            // Committed but not known to be on disk: the caller must treat it as failed and retry.
            assertThatThrownBy(() -> commits.execute(insert("unsynced"))).isInstanceOf(SQLException.class)
                    .hasMessage("disk sync failed");
        } finally {
            commits.close();
        }
    }

    @Test
    void theDefaultH2DatabaseSyncsItsFileButNotPostgresOrMemory() throws Exception {
        assertThat(Database.h2FileSync(Database.defaultUrl(dir))).isNotNull();
        assertThat(Database.h2FileSync("jdbc:h2:mem:x")).isNull();
        assertThat(Database.h2FileSync("jdbc:postgresql://localhost/cpis")).isNull();
        long before = db.groupCommit().commits();
        db.groupCommit().execute(insert("through-the-sync"));
        assertThat(db.groupCommit().commits()).isEqualTo(before + 1);
        assertThat(rowsWithKey("through-the-sync")).isEqualTo(1);
    }

    @Test
    void writesArrivingWithinTheCommitIntervalShareTheNextCommit() throws Exception {
        Duration interval = Duration.ofSeconds(2);
        GroupCommit commits = new GroupCommit(db.dataSource(), 256, Duration.ofSeconds(10), interval, Integer.MAX_VALUE, null);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            long before = commits.commits();
            long start = System.nanoTime();
            commits.execute(insert("first"));
            List<Future<?>> rest = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = "s" + i;
                rest.add(pool.submit(() -> {
                    commits.execute(insert(key));
                    return null;
                }));
            }
            for (Future<?> f : rest) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(System.nanoTime() - start).as("the second commit waited for the interval")
                    .isGreaterThanOrEqualTo(interval.toNanos());
            assertThat(commits.commits() - before).as("the first at once, then the ten together").isEqualTo(2);
            assertThat(commits.writes()).isEqualTo(11);
        } finally {
            pool.shutdownNow();
            commits.close();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test")).containsExactly(11L);
    }

    @Test
    void anIdleWriterCommitsAtOnceAndAFullBatchDoesNotWaitForTheInterval() throws Exception {
        // An hour's interval: anything that waited for it would fail the 10 s timeout.
        GroupCommit commits = new GroupCommit(db.dataSource(), 4, Duration.ofSeconds(10), Duration.ofHours(1), Integer.MAX_VALUE, null);
        try {
            commits.execute(insert("idle"));
            List<java.util.concurrent.CompletableFuture<Void>> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(commits.submit(insert("full" + i)));
            }
            for (var f : four) {
                assertThat(f).succeedsWithin(Duration.ofSeconds(10));
            }
            assertThat(commits.commits()).isEqualTo(2);
        } finally {
            commits.close();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test")).containsExactly(5L);
    }

    @Test
    void aBatchCarryingEnoughRowsDoesNotWaitForTheInterval() throws Exception {
        GroupCommit commits = new GroupCommit(db.dataSource(), 256, Duration.ofSeconds(10),
                Duration.ofHours(1), 10, null);
        try {
            commits.execute(insert("idle"));
            // One work of ten rows, as a stage consumer's batch: an hour's wait would fail the 10 s timeout.
            commits.execute(c -> {
                for (int i = 0; i < 10; i++) {
                    insert("row" + i).run(c);
                }
            }, 10);
            assertThat(commits.commits()).isEqualTo(2);
            assertThat(commits.writes()).as("rows").isEqualTo(11);
        } finally {
            commits.close();
        }
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM gc_test")).containsExactly(11L);
    }

    @Test
    void closingCommitsWritesWaitingForTheCommitInterval() throws Exception {
        GroupCommit commits = new GroupCommit(db.dataSource(), 16, Duration.ofSeconds(10), Duration.ofHours(1), Integer.MAX_VALUE, null);
        commits.execute(insert("before"));
        var waiting = commits.submit(insert("in-the-interval"));
        commits.close();
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5));
        assertThat(rowsWithKey("in-the-interval")).isEqualTo(1);
    }

    @Test
    void aClosedWriterRefusesWork() {
        GroupCommit commits = new GroupCommit(db.dataSource(), 16, Duration.ofSeconds(5));
        commits.close();
        assertThatThrownBy(() -> commits.execute(insert("late"))).isInstanceOf(SQLException.class)
                .hasMessageContaining("stopped");
    }
}
