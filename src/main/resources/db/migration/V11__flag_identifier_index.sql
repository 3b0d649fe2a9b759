-- Conditional create/update by Flag?identifier=system|value from an admin caller (no council filter)
-- could not use uq_fs_flag_ident, whose first column is the council: every such request scanned the
-- whole table, so bulk loads grew quadratically.
CREATE INDEX ix_fs_flag_ident_value ON fs_flag (ident_value, ident_system);
