package form

import (
	"net/url"
	"testing"
)

func TestParseCaseQueryDefaults(t *testing.T) {
	q, f, problems := ParseCaseQuery(url.Values{})
	if len(problems) != 0 || f.Status != "missing" || len(q.Statuses) != 1 || q.Sort != "recent" || q.Page != 1 || q.PerPage != DefaultPerPage {
		t.Errorf("defaults: %+v %+v %v", q, f, problems)
	}
	q, f, _ = ParseCaseQuery(url.Values{"q": {"  Gander  "}, "region": {"labrador"}, "sex": {"FEMALE"}})
	if q.Q != "Gander" || q.Sort != "" || q.Region != "Labrador" || q.Sex != "female" || f.Region != "Labrador" {
		t.Errorf("canonicalised: %+v", q)
	}
	if got := f.PageURL(3); got != "/cases?page=3&q=Gander&region=Labrador&sex=female" {
		t.Errorf("PageURL %q", got)
	}
}
