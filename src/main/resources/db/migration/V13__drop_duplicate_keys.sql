-- Intake no longer keeps its own table of duplicate keys: it checks received_message, the durable
-- record of every message, which the attendance stage writes (DuplicateGuard). Portable SQL.
DROP TABLE camel_messageprocessed;
