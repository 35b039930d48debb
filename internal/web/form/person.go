package form

import (
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// The number fields' messages, marked for the catalog (parseIntRange
// translates them).
var (
	ageMsgs = rangeMsgs{
		i18n.Mark("Enter the age as a whole number."),
		i18n.Mark("Enter the age between {min} and {max}."),
	}
	heightMsgs = rangeMsgs{
		i18n.Mark("Enter the height in centimetres as a whole number."),
		i18n.Mark("Enter the height in centimetres between {min} and {max}."),
	}
	weightMsgs = rangeMsgs{
		i18n.Mark("Enter the weight in kilograms as a whole number."),
		i18n.Mark("Enter the weight in kilograms between {min} and {max}."),
	}
)

// checkDescription applies the rules the public report form and the admin
// case form share for a person's description, so the two cannot drift
// apart: age 0–120, height 30–260 cm, weight 1–350 kg, sex and region from
// the store's lists. It returns the parsed numbers (nil when empty or bad).
func checkDescription(lz *i18n.Localizer, errs map[string]string, age, heightCM, weightKG, sex, region string) (a, h, w *int) {
	var msg string
	if a, msg = parseIntRange(lz, age, 0, 120, ageMsgs); msg != "" {
		SetIfNone(errs, "age", msg)
	}
	if h, msg = parseIntRange(lz, heightCM, 30, 260, heightMsgs); msg != "" {
		SetIfNone(errs, "height_cm", msg)
	}
	if w, msg = parseIntRange(lz, weightKG, 1, 350, weightMsgs); msg != "" {
		SetIfNone(errs, "weight_kg", msg)
	}
	if sex != "" && !InList(sex, store.Sexes) {
		SetIfNone(errs, "sex", lz.T("Choose one of the listed options."))
	}
	if region != "" && !InList(region, store.Regions) {
		SetIfNone(errs, "region", lz.T("Choose one of the listed regions."))
	}
	return a, h, w
}
