package pfif

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzParse: whatever the bytes, Parse returns persons or an *Error, never
// panics, and what it accepts has the required fields.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"person_with_notes.xml", "many_persons.xml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><pfif xmlns="http://zesty.ca/pfif/1.4"/>`))
	f.Add([]byte(`<pfif xmlns="http://zesty.ca/pfif/1.4"><person><person_record_id>a/b</person_record_id><full_name>x</full_name><note><note_record_id>a/n</note_record_id></note></person></pfif>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := Parse(bytes.NewReader(b), Limits{MaxBytes: 1 << 16})
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, p := range ps {
			if p.RecordID == "" || (p.FullName == "" && p.ExpiryDate.IsZero()) {
				t.Fatalf("accepted incomplete person %+v", p)
			}
		}
	})
}
