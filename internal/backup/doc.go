// Package backup makes and restores backups of a single-machine LostInNL
// install: the SQLite database and the local media folder, in one
// .tar.gz archive with a manifest of SHA-256 checksums.
//
// Production installs on MySQL/RDS and S3 do not use this package: they rely
// on RDS automated snapshots with point-in-time recovery and S3 versioning
// (docs/operations.md). Create refuses a MySQL store with ErrNotSQLite.
//
// # The secret key is NOT in the archive
//
// Sensitive fields (reporter and tipster contact details, second-factor
// secrets) are encrypted with the key of LOSTINNL_SECRETS_KEEPER. With the
// default local keeper that key is <data dir>/secret.key, and this package
// deliberately leaves it out: an archive that carried its own key would
// hand the personal data to whoever obtains the archive. Back up secret.key
// separately (a password manager, a sealed envelope, another machine), or
// use KMS (awskms://…). Without the key a restored database still opens, but
// every encrypted field is lost for good.
//
// # Usage from the command line
//
// The lostinnl binary exposes this package as two commands:
//
//	# online, while the server runs; consistent (SQLite VACUUM INTO), never a file copy
//	lostinnl backup --out /var/backups/lostinnl/lostinnl-2026-11-27.tar.gz
//
//	# into an empty data directory, with the server stopped
//	lostinnl restore --from /var/backups/lostinnl/lostinnl-2026-11-27.tar.gz
//	cp /safe/place/secret.key /var/lib/lostinnl/secret.key   # the key travels separately
//	chown -R lostinnl:lostinnl /var/lib/lostinnl && systemctl start lostinnl
//
// From Go:
//
//	sum, err := backup.Create(ctx, st, "/var/lib/lostinnl/media", "/var/backups/lostinnl/today.tar.gz")
//	// sum.Files, sum.Bytes, sum.ArchiveBytes, sum.SchemaVersion
//	sum, err = backup.Restore(ctx, "/var/backups/lostinnl/today.tar.gz", "/var/lib/lostinnl-new")
//
// # Archive format (version 1)
//
//	lostinnl.db         the database snapshot (mode 0600)
//	media/<name>        every regular file of the media folder (photos and their .attrs)
//	MANIFEST.json       written last: format, created_at, schema_version, dialect,
//	                    and name, size and SHA-256 of every entry above
//
// Restore trusts nothing in the archive: names must be plain relative paths
// inside the data directory, only regular files are accepted (no symlinks,
// hard links or devices), sizes are bounded before anything is read, every
// checksum must match the manifest, and nothing lands in the data directory
// until all of that has been verified.
package backup
