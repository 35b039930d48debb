package mail

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// Paths of the web layer's pages that messages link to. The web layer
// must serve them (issue 16): confirming a subscription (GET shows a
// button, POST confirms: mail scanners follow GET links), and managing /
// unsubscribing (GET shows the address's subscriptions; POST with the same
// token is the RFC 8058 one-click unsubscribe).
const (
	ConfirmPath     = "/alerts/confirm"
	UnsubscribePath = "/alerts/unsubscribe"
)

// SentRetention is how long a sent or failed message (its sealed
// recipient included) stays in the outbox, readable at /admin/outbox; the
// privacy page states it.
const SentRetention = 30 * 24 * time.Hour

// Fanouts expands the store's fan-out rows (events that cause mail) into
// outbox messages, in batches, each batch queued together with the
// fan-out's cursor. Several instances may run it: a fan-out is leased.
type Fanouts struct {
	Store     *store.Store
	Opener    Opener
	Keys      *Keys
	Templates *Templates
	BaseURL   string // LOSTINNL_BASE_URL
	Owner     string
	Batch     int           // recipients per batch; default 500
	Lease     time.Duration // default 5 min
	// Pace, when set, spaces the batches out (one unit per message
	// queued): expanding runs flat out otherwise, and for a large area
	// alert that takes seconds of CPU the public pages need. Keep it
	// faster than the sender's pace, or the sender idles between batches.
	Pace   *Pacer
	Logger *slog.Logger
}

func (f *Fanouts) defaults() {
	if f.Batch <= 0 {
		f.Batch = 500
	}
	if f.Lease <= 0 {
		f.Lease = 5 * time.Minute
	}
	if f.Logger == nil {
		f.Logger = slog.New(slog.DiscardHandler)
	}
}

// Run expands fan-outs until ctx ends, looking for new ones every poll.
func (f *Fanouts) Run(ctx context.Context, poll time.Duration) {
	f.defaults()
	for {
		did, err := f.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			f.Logger.Warn("mail fan-out", slog.String("error", err.Error()))
		}
		if did && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

// RunOnce expands one pending fan-out completely. It reports whether
// there was one.
func (f *Fanouts) RunOnce(ctx context.Context) (bool, error) {
	f.defaults()
	fo, err := f.Store.ClaimFanout(ctx, f.Owner, f.Lease)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// Alerts go to the public: the case with its public name (first name
	// and initial when so decided); the reporter's sealed address is
	// still on it for the reporter's own messages.
	c, err := f.Store.GetCaseForPublic(ctx, fo.CaseID)
	if err != nil {
		return true, fmt.Errorf("fan-out %d: %w", fo.ID, err)
	}
	for {
		step, err := f.step(ctx, fo, c)
		if err != nil {
			return true, fmt.Errorf("fan-out %d (%s): %w", fo.ID, fo.Kind, err)
		}
		step.Lease = f.Lease
		if err := f.Store.AdvanceFanout(ctx, fo, f.Owner, step); err != nil {
			return true, err
		}
		// After the batch is committed: stopping here loses nothing, the
		// next holder of the fan-out resumes from the saved cursor.
		if err := f.Pace.Wait(ctx, len(step.Mail)); err != nil {
			return true, err
		}
		if step.Done {
			return true, nil
		}
	}
}

// manageSlot stands for a subscriber's own manage link while a message
// is rendered once for all its readers of one language; each copy gets
// its link by replacement. An https URL, so html/template keeps it in an
// href as it is.
const manageSlot = "https://manage-link.invalid/slot"

// step builds the next batch of a fan-out. The reporter's message (one)
// goes with the first batch; subscribers and staff are walked by id from
// the cursor. Message-IDs are fixed by (fan-out, recipient), so a batch
// repeated after a crash queues nothing twice.
//
// Every reader gets the message in their language (issue 18): the
// subscription's and the staff member's come with their rows, no query
// per recipient. A batch renders each kind of message once per language,
// not once per recipient: only the manage link differs between
// subscribers, and it is put into each copy afterwards.
func (f *Fanouts) step(ctx context.Context, fo *store.Fanout, c *store.Case) (store.FanoutStep, error) {
	var mails []store.Mail
	first := fo.AfterID == 0
	rendered := map[string]Rendered{} // kind + language → the batch's one rendering
	add := func(to, key string, l i18n.Lang, content Content, unsubscribe string) error {
		k := content.Kind() + "\x00" + string(l)
		r, ok := rendered[k]
		if !ok {
			var err error
			if r, err = f.Templates.RenderLang(l, content); err != nil {
				return err
			}
			rendered[k] = r
		}
		if unsubscribe != "" {
			r.Text = strings.ReplaceAll(r.Text, manageSlot, unsubscribe)
			r.HTML = strings.ReplaceAll(r.HTML, manageSlot, html.EscapeString(unsubscribe))
		}
		mails = append(mails, store.Mail{
			MessageID: fmt.Sprintf("%s.%d.%s@%s", content.Kind(), fo.ID, key, f.host()),
			Kind:      content.Kind(), To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML, UnsubscribeURL: unsubscribe,
			// Subscribers' copies (the only mail with an unsubscribe link
			// here) are bulk: the reporter's and staff's messages, and
			// confirmations queued meanwhile, go before them.
			Bulk: unsubscribe != "",
		})
		return nil
	}
	reporter := func(content func(l i18n.Lang) Content) error {
		if !first || len(c.ReporterEmail) == 0 {
			return nil
		}
		to, err := f.Opener.OpenRow(ctx, c.ReporterEmail, "cases", "reporter_email", c.ID, c.SealToken)
		if err != nil {
			// Unreadable (a key gone): nothing to send it to; log, go on.
			f.Logger.Warn("reporter address unreadable", slog.Int64("case_id", c.ID), slog.String("error", err.Error()))
			return nil
		}
		addr, err := NormalizeAddress(string(to))
		if err != nil {
			return nil // a reporter's typo; the form checked it loosely
		}
		// The reporter wrote the report in the case's language.
		l := mailLang(c.ContentLang)
		return add(addr, "reporter", l, content(l), "")
	}
	reference := func() string {
		a, err := f.Store.ReportAccessForCase(ctx, c.ID)
		if err != nil {
			return "#" + strconv.FormatInt(c.ID, 10)
		}
		return a.Reference
	}
	step := store.FanoutStep{AfterID: fo.AfterID}

	var subs []store.Subscription
	var staff []store.StaffRecipient
	var err error
	switch fo.Kind {
	case store.FanoutReportSubmitted:
		ref := reference()
		if err := reporter(func(i18n.Lang) Content { return ReporterConfirmation{Reference: ref} }); err != nil {
			return step, err
		}
		staff, err = f.Store.StaffRecipients(ctx, fo.AfterID, f.Batch)
		for _, u := range staff {
			if err := add(u.Email, "u"+strconv.FormatInt(u.UserID, 10), mailLang(u.Lang), StaffReportReview{AdminURL: f.url("/admin/reports")}, ""); err != nil {
				return step, err
			}
		}
	case store.FanoutTipReceived:
		staff, err = f.Store.StaffRecipients(ctx, fo.AfterID, f.Batch)
		for _, u := range staff {
			if err := add(u.Email, "u"+strconv.FormatInt(u.UserID, 10), mailLang(u.Lang), StaffTip{CaseID: c.ID, AdminURL: f.url("/admin/tips")}, ""); err != nil {
				return step, err
			}
		}
	case store.FanoutCaseRejected:
		ref := reference()
		if err := reporter(func(l i18n.Lang) Content {
			return ReportNotPublished{Reference: ref, ContactURL: f.url(i18n.Path(l, "/contact"))}
		}); err != nil {
			return step, err
		}
	case store.FanoutCasePublished:
		ref := reference()
		if err := reporter(func(l i18n.Lang) Content { return ReportPublished{Reference: ref, CaseURL: f.caseURL(l, c.ID)} }); err != nil {
			return step, err
		}
		info, err := f.caseInfo(ctx, c)
		if err != nil {
			return step, err
		}
		subs, err = f.Store.AreaSubscribers(ctx, c.Region, fo.AfterID, f.Batch)
		if err != nil {
			return step, err
		}
		for _, sub := range subs {
			if err := f.addSubscriber(ctx, add, sub, func(l i18n.Lang) Content {
				return AreaAlert{Case: f.caseIn(info, l, c.ID), Region: c.Region, ManageURL: manageSlot}
			}); err != nil {
				return step, err
			}
		}
	case store.FanoutCaseUpdate:
		info, err := f.caseInfo(ctx, c)
		if err != nil {
			return step, err
		}
		u, err := f.update(ctx, c, fo.UpdateID)
		if err != nil {
			return step, err
		}
		if u != nil && u.Body != "" && c.Status == store.StatusMissing {
			subs, err = f.Store.Followers(ctx, c.ID, fo.AfterID, f.Batch)
			if err != nil {
				return step, err
			}
			for _, sub := range subs {
				if err := f.addSubscriber(ctx, add, sub, func(l i18n.Lang) Content {
					text, original := updateIn(c, u, l)
					return CaseUpdate{Case: f.caseIn(info, l, c.ID), Update: text, Original: original, ManageURL: manageSlot}
				}); err != nil {
					return step, err
				}
			}
		}
	case store.FanoutCaseClosed:
		ref := reference()
		if err := reporter(func(i18n.Lang) Content { return ReporterCaseClosed{Reference: ref} }); err != nil {
			return step, err
		}
		subs, err = f.Store.Followers(ctx, c.ID, fo.AfterID, f.Batch)
		if err != nil {
			return step, err
		}
		for _, sub := range subs {
			if err := f.addSubscriber(ctx, add, sub, func(i18n.Lang) Content {
				return CaseClosed{Name: c.FullName, ManageURL: manageSlot}
			}); err != nil {
				return step, err
			}
		}
		step.DeleteFollowers = true
	default:
		f.Logger.Warn("unknown fan-out kind", slog.String("kind", fo.Kind))
	}
	if err != nil {
		return step, err
	}
	switch {
	case len(subs) > 0:
		step.AfterID = subs[len(subs)-1].ID
	case len(staff) > 0:
		step.AfterID = staff[len(staff)-1].UserID
	}
	step.Done = len(subs) < f.Batch && len(staff) < f.Batch
	if len(mails) > 0 {
		if step.Mail, err = f.Store.PrepareMail(ctx, mails...); err != nil {
			return step, err
		}
	}
	return step, nil
}

// addSubscriber adds one subscriber's message, in their language, with
// their own manage link (one-click unsubscribe of this subscription, to
// the manage page in that language).
func (f *Fanouts) addSubscriber(ctx context.Context, add func(to, key string, l i18n.Lang, c Content, unsubscribe string) error, sub store.Subscription, content func(l i18n.Lang) Content) error {
	to, err := f.Opener.OpenRow(ctx, sub.Email, "subscriptions", "email", sub.ID, sub.SealToken)
	if err != nil {
		f.Logger.Warn("subscriber address unreadable", slog.Int64("subscription_id", sub.ID), slog.String("error", err.Error()))
		return nil
	}
	l := mailLang(sub.Lang)
	manage := f.url(i18n.Path(l, UnsubscribePath) + "?token=" + f.Keys.ManageToken(sub.EmailIndex, sub.ID, time.Now().Add(ManageTTL)))
	// Keyed by the address, not the subscription: someone subscribed to
	// "all" and to the case's region gets one alert, not two.
	return add(string(to), hex.EncodeToString(sub.EmailIndex[:12]), l, content(l), manage)
}

// update is the fan-out's update, nil when it was deleted before it
// could be sent (nothing to say then).
func (f *Fanouts) update(ctx context.Context, c *store.Case, updateID int64) (*store.Update, error) {
	ups, err := f.Store.ListUpdates(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for i := range ups {
		if ups[i].ID == updateID {
			return &ups[i], nil
		}
	}
	return nil, nil
}

// updateIn is the text of u a reader of language l gets (store.ShowText's
// rule: the version in l when the update was written in it or staff wrote
// that version), and the language it is in when that is not l ("" when it
// is).
func updateIn(c *store.Case, u *store.Update, l i18n.Lang) (string, i18n.Lang) {
	shown := u.BodyFor(c, string(l))
	var original i18n.Lang
	if shown.Fallback {
		original = mailLang(shown.Lang)
	}
	return c.PublicText(shown.Text), original
}

func (f *Fanouts) caseInfo(ctx context.Context, c *store.Case) (CaseInfo, error) {
	info := CaseInfo{Name: c.FullName, Agency: c.PoliceAgency, AgencyPhone: c.PolicePhone,
		LastSeenDate: c.LastSeenDate, LastSeenTime: c.LastSeenTime,
		LastSeenPlace: strings.Join(nonEmpty(c.LastSeenPlace, c.Community), ", ")}
	photos, err := f.Store.ListPhotos(ctx, c.ID)
	if err != nil {
		return info, err
	}
	for _, p := range photos {
		if p.Primary || info.PhotoURL == "" {
			info.PhotoURL = f.url(media.VariantURL(p.Key, media.VariantSmall))
		}
	}
	return info, nil
}

func nonEmpty(v ...string) []string {
	var out []string
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func (f *Fanouts) url(path string) string { return strings.TrimSuffix(f.BaseURL, "/") + path }

// caseURL is the case page in language l.
func (f *Fanouts) caseURL(l i18n.Lang, id int64) string {
	return f.url(i18n.Path(l, "/cases/"+strconv.FormatInt(id, 10)))
}

// caseIn is info with its link to the case page in language l.
func (f *Fanouts) caseIn(info CaseInfo, l i18n.Lang, id int64) CaseInfo {
	info.URL = f.caseURL(l, id)
	return info
}

// host is the Message-ID domain: the site's own host.
func (f *Fanouts) host() string {
	if u, err := url.Parse(f.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// ConfirmURL is the link of a confirmation mail, to the page in the
// subscriber's language.
func ConfirmURL(baseURL string, l i18n.Lang, token string) string {
	return strings.TrimSuffix(baseURL, "/") + i18n.Path(l, ConfirmPath) + "?token=" + url.QueryEscape(token)
}
