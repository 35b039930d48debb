-- Placeholder for migration 008, which another branch of issue 12 adds.
-- The runner needs versions 1..n without gaps, so this branch keeps the
-- number taken; the merge replaces this file with the real 008. It changes
-- nothing. Names match mysql/008 (TestSchemaParity).
SELECT 1;
