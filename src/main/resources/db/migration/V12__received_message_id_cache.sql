-- One row per message: with the default cache of 32 ids, H2 wrote the sequence back to its catalogue
-- in a commit of its own every 32 rows, a quarter of the group-commit thread's CPU under load.
-- Nothing orders by this id (only the message id and control id are looked up), so a crash's gap
-- in it, or PostgreSQL's cache per session, is harmless.
ALTER TABLE received_message ALTER COLUMN id SET CACHE 1000;
