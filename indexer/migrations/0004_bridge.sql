-- A bridge send carries the token's metadata (MessageSent.data): for a CCR batch, its registry,
-- project, vintage, methodology and serial range as the root chain records them, from which a
-- child copy creates the batch on the first deposit. Empty for ERC-20 sends; NULL on received
-- rows and on rows indexed before this column existed.
ALTER TABLE bridge_messages ADD COLUMN data bytea;
