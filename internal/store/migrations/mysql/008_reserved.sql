-- Placeholder for migration 008 (see sqlite/008): changes nothing; the
-- merge replaces it with the real 008.
SELECT 1;
