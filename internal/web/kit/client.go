package kit

import (
	"encoding/json"
	"strings"
	"sync"

	"lostinnl/internal/i18n"
)

// The scripts' messages (issue 18). scripts.js, map.js and offline.js
// write some text themselves (live search and map status lines, map
// popups, the saved list, "Link copied"). They do not fetch translations:
// the layout renders this list, translated, into every page that is not
// English, as JSON in the <body>'s data-messages attribute (data, never
// run: no inline <script> at all, which the strict CSP and the security
// tests refuse, and no extra element), and static/messages.js, loaded
// before the scripts in both layouts, looks their messages up there by
// their English text. An English page has no attribute and
// the scripts use the English text they hold, so a page that lacks it (a
// copy saved before it existed) still works.
//
// Every message a script shows must be listed here (the scripts' test
// reads their msg("…") calls and checks them against this list).

// clientMessages are the scripts' plain messages ({name} arguments are
// filled in by the script).
var clientMessages = []string{
	// scripts.js ("Link copied" and its failure come from the case page's
	// data-copied and data-copy-failed attributes, case.po)
	i18n.Mark("Type it as year-month-day, for example 2026-03-14."),
	i18n.Mark("The box shows it as {order}."),
	i18n.Mark("yyyy"),
	i18n.Mark("mm"),
	i18n.Mark("dd"),
	i18n.Mark("Search failed. Press Search to try again."),
	i18n.Mark("Live search is not available right now. Press Search to see results."),
	// map.js
	i18n.Mark("Loading the map…"),
	i18n.Mark("No case matching these filters has a place on the map."),
	i18n.Mark("The map could not load its places. Every case is in the list below."),
	i18n.Mark("The map could not load. Every case is in the list below."),
	i18n.Mark("{name}, last seen {date} in {place}"),
	i18n.Mark("{name}, last seen {date}"),
	i18n.Mark("Place shown to within about 1 km."),
	i18n.Mark("Last-seen place (drag to move)"),
	i18n.Mark("Last-seen place"),
	// offline.js
	i18n.Mark("Saved on {date}"),
	i18n.Mark("check for updates when you have signal."),
	i18n.Mark("Update saved copy"),
	i18n.Mark("Saved on this device on {date}."),
	i18n.Mark("Saving…"),
	i18n.Mark("This appeal has ended, so it was not saved. Reload the page for the latest."),
	i18n.Mark("Could not save: there is no connection. Try again when you have signal."),
	i18n.Mark("Could not save this page ({error}). Try again later."),
	i18n.Mark("unknown problem"),
	i18n.Mark("no answer"),
	i18n.Mark("the server answered {status}"),
	i18n.Mark("the page did not look like an open case"),
	i18n.Mark("not a case page"),
	i18n.Mark("unknown request"),
	i18n.Mark("This browser cannot keep pages for use without signal. Try a current version of Chrome, Firefox, Safari or Edge."),
	i18n.Mark("{name} from this device"),
	i18n.Mark("Removed {name} from this device."),
	i18n.Mark("Could not remove {name} ({error})."),
	i18n.Mark("Checking saved cases for updates…"),
	i18n.Mark("Loading the cases saved on this device…"),
	i18n.Mark("Saving pages is not available in this browser window (private browsing can block it)."),
	i18n.Mark("Removed because the appeal has ended: {names}."),
	i18n.Mark("You are offline: check for updates when you have signal."),
	i18n.Mark("Could not read the saved cases ({error})."),
}

// clientMessagesC are messages with a context: an English word that
// another part of the site translates differently. The script looks them
// up by the English text alone.
var clientMessagesC = [][2]string{
	{"saved list", i18n.MarkC("saved list", "Remove")}, // takes a case off the device
}

// clientPlurals are the scripts' messages that count: singular, plural.
// {n} is the count; a script picks the form by the page's language.
var clientPlurals = [][2]string{
	{i18n.Mark("{n} case is on the map. Press Tab to move between the markers and Enter to see who was last seen there."), "{n} cases are on the map. Press Tab to move between the markers and Enter to see who was last seen there."},
	{i18n.Mark("{n} person last seen near {place}"), "{n} people last seen near {place}"},
	{i18n.Mark("{n} case is saved on this device."), "{n} cases are saved on this device."},
}

// ClientBlock is the JSON the scripts read: the page's language ("fr"),
// the messages by their English text, and the counting messages as
// [singular, plural] with their arguments left as {name}.
type ClientBlock struct {
	Lang     string               `json:"lang"`
	Messages map[string]string    `json:"messages"`
	Plurals  map[string][2]string `json:"plurals"`
}

// ClientMessages is l's block, or nil for English (the scripts' own
// text).
func ClientMessages(l i18n.Lang) *ClientBlock {
	if l == i18n.English {
		return nil
	}
	lz := i18n.For(l)
	b := &ClientBlock{Lang: l.Short(), Messages: make(map[string]string, len(clientMessages)+len(clientMessagesC)), Plurals: make(map[string][2]string, len(clientPlurals))}
	for _, id := range clientMessages {
		b.Messages[id] = lz.T(id)
	}
	for _, m := range clientMessagesC {
		b.Messages[m[1]] = lz.TC(m[0], m[1])
	}
	for _, p := range clientPlurals {
		// N fills {n} with the count and takes the first value given for a
		// name: passing the placeholders themselves keeps them for the
		// script. 1 and 2 pick the singular and the plural form in both
		// languages.
		args := keepPlaceholders(p[0])
		b.Plurals[p[0]] = [2]string{lz.N(p[0], p[1], 1, args...), lz.N(p[0], p[1], 2, args...)}
	}
	return b
}

// keepPlaceholders are name, value arguments that fill each {name} of s
// with "{name}" itself.
func keepPlaceholders(s string) []any {
	var args []any
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return args
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return args
		}
		args = append(args, s[i+1:i+j], s[i:i+j+1])
		s = s[i+j+1:]
	}
}

var clientJSON sync.Map // i18n.Lang → string

// ClientMessagesJSON is l's block as JSON for the page's data-messages
// attribute (html/template escapes it as an attribute value), "" for
// English. Built once per language.
func ClientMessagesJSON(l i18n.Lang) string {
	if v, ok := clientJSON.Load(l); ok {
		return v.(string)
	}
	s := ""
	if b := ClientMessages(l); b != nil {
		j, _ := json.Marshal(b) // strings only: Marshal cannot fail
		s = string(j)
	}
	clientJSON.Store(l, s)
	return s
}
