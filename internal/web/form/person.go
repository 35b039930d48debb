package form

import "lostinnl/internal/store"

// checkDescription applies the rules the public report form and the admin
// case form share for a person's description, so the two cannot drift
// apart: age 0–120, height 30–260 cm, weight 1–350 kg, sex and region from
// the store's lists. It returns the parsed numbers (nil when empty or bad).
func checkDescription(errs map[string]string, age, heightCM, weightKG, sex, region string) (a, h, w *int) {
	var msg string
	if a, msg = parseIntRange(age, 0, 120, "the age"); msg != "" {
		SetIfNone(errs, "age", msg)
	}
	if h, msg = parseIntRange(heightCM, 30, 260, "the height in centimetres"); msg != "" {
		SetIfNone(errs, "height_cm", msg)
	}
	if w, msg = parseIntRange(weightKG, 1, 350, "the weight in kilograms"); msg != "" {
		SetIfNone(errs, "weight_kg", msg)
	}
	if sex != "" && !InList(sex, store.Sexes) {
		SetIfNone(errs, "sex", "Choose one of the listed options.")
	}
	if region != "" && !InList(region, store.Regions) {
		SetIfNone(errs, "region", "Choose one of the listed regions.")
	}
	return a, h, w
}
