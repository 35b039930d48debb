// Package i18n holds the site's two languages, Canadian English (en-CA)
// and Canadian French (fr-CA): message catalogs in gettext .po files that
// translators can open in their usual tools, CLDR plural rules, the
// formatting of dates, times, numbers and units each language expects,
// accent-insensitive collation, the /fr URL prefix, and a pseudo-locale
// that makes untranslated text visible in tests.
//
// Messages are looked up by their English text (gettext's msgid), with an
// optional context (msgctxt) where one English word has two French
// translations ("Located" of a status, "Located" of a place). Arguments
// are named, in braces: T("Last seen {date}", "date", d). Named rather
// than positional so a translator can reorder them and read what each is.
package i18n
