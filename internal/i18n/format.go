package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// nnbsp is the narrow no-break space French puts between thousands and
// before units in running text ("1 234"), so a number never wraps.
const nnbsp = "\u202f"

// Date is a calendar date as people write it: "December 1, 2026" in
// English, "1er décembre 2026" in French (the first of the month is an
// ordinal). The zero time is "".
func (lz *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	switch lz.lang {
	case French:
		day := strconv.Itoa(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return day + " " + frMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	case Pseudo:
		return pseudo(t.Format("January 2, 2006"))
	}
	return t.Format("January 2, 2006")
}

// Clock is a time of day: "9:40 PM" in English, "21 h 40" in French
// ("21 h" on the hour), as the Office québécois de la langue française
// and Canadian style guides write them.
func (lz *Localizer) Clock(hour, minute int) string {
	switch lz.lang {
	case French:
		s := strconv.Itoa(hour) + "\u00a0h"
		if minute != 0 {
			s += "\u00a0" + twoDigits(minute)
		}
		return s
	case Pseudo:
		return pseudo(time.Date(2000, 1, 1, hour, minute, 0, 0, time.UTC).Format("3:04 PM"))
	}
	return time.Date(2000, 1, 1, hour, minute, 0, 0, time.UTC).Format("3:04 PM")
}

// ClockText formats a stored "HH:MM" time of day; anything else is
// returned as it is (shown as entered rather than hidden).
func (lz *Localizer) ClockText(hhmm string) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return hhmm
	}
	return lz.Clock(t.Hour(), t.Minute())
}

// Stamp is a moment in loc: "November 3, 2026 at 9:30 PM",
// "3 novembre 2026 à 21 h 30".
func (lz *Localizer) Stamp(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return lz.T("{date} at {time}", "date", lz.Date(t), "time", lz.Clock(t.Hour(), t.Minute()))
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Number is a whole number with the language's digit grouping: "12,345"
// in English, "12 345" in French.
func (lz *Localizer) Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	sep := ","
	if lz.lang == French {
		sep = nnbsp
	}
	if len(s) > 4 || (len(s) == 4 && lz.lang != French) {
		var b strings.Builder
		lead := len(s) % 3
		if lead > 0 {
			b.WriteString(s[:lead])
		}
		for i := lead; i < len(s); i += 3 {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(s[i : i+3])
		}
		s = b.String()
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Decimal is a number with one decimal: "2.5" / "2,5".
func (lz *Localizer) Decimal(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	if lz.lang == French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Height shows centimetres and feet and inches, as people in Canada
// still describe a person: "170 cm (5 ft 7 in)", "170 cm (5 pi 7 po)".
// Zero or less is "".
func (lz *Localizer) Height(cm int) string {
	if cm <= 0 {
		return ""
	}
	inches := int(math.Round(float64(cm) / 2.54))
	return lz.T("{cm} cm ({ft} ft {in} in)", "cm", lz.Number(cm), "ft", strconv.Itoa(inches/12), "in", strconv.Itoa(inches%12))
}

// Weight shows kilograms and pounds: "70 kg (154 lb)" in both languages
// (French writes "lb" too).
func (lz *Localizer) Weight(kg int) string {
	if kg <= 0 {
		return ""
	}
	return lz.T("{kg} kg ({lb} lb)", "kg", lz.Number(kg), "lb", lz.Number(int(math.Round(float64(kg)*2.20462))))
}
