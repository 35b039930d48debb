package demo

// What the generated cases look like and how they went missing: sizes,
// hair, eyes, features, clothing, the place last seen and a short account,
// each drawn to fit the person's sex, age and the season.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// bodySize gives height (cm) and weight (kg) plausible for sex and age;
// about one case in twelve has neither recorded.
func bodySize(r *rand.Rand, sex string, age int) (h, w int, ok bool) {
	if chance(r, 0.08) {
		return 0, 0, false
	}
	mean, sd := 170.0, 8.0
	switch sex {
	case "female":
		mean, sd = 163, 7
	case "male":
		mean, sd = 177, 7
	}
	if age < 16 {
		mean = 80 + float64(age)*(mean-80)/16
	}
	if age >= 75 {
		mean -= 4
	}
	height := mean + r.NormFloat64()*sd
	bmi := 24 + r.NormFloat64()*4
	if age < 13 {
		bmi = 17 + r.NormFloat64()*2
	}
	bmi = math.Max(15, math.Min(bmi, 42))
	m := height / 100
	return int(math.Round(height)), int(math.Round(bmi * m * m)), true
}

var (
	buildChild  = words(`small slim thin medium slight stocky`)
	buildOld    = words(`slim medium small thin frail heavy stooped`)
	buildFemale = words(`slim medium petite athletic heavy thin average curvy stocky tall slight`)
	buildMale   = words(`medium slim heavy athletic broad stocky thin muscular average lanky tall`)
	buildOther  = words(`medium slim average heavy athletic thin stocky`)
)

func builds(sex string, age int) []string {
	switch {
	case age < 13:
		return buildChild
	case age >= 70:
		return buildOld
	case sex == "female":
		return buildFemale
	case sex == "male":
		return buildMale
	}
	return buildOther
}

var (
	eyeColours = weightedList(`brown*42 blue*28 hazel*12 green*9 grey*6 dark_brown*3`)
	// Hair colours with their weights: dyed hair is the exception.
	hairColour = weightedList(`brown*25 dark_brown*14 black*14 blonde*10 light_brown*10 red*4 auburn*4
		strawberry_blonde*2 sandy*3 dirty_blonde*4 ginger*2 jet_black*2 dyed_pink dyed_blue dyed_purple
		bleached_blonde dyed_green platinum_blonde`)
	hairOld   = []string{"grey", "white", "salt-and-pepper", "silver", "grey and thinning", "white, thinning"}
	hairStyle = weightedList(`short*12 long*8 shoulder_length*6 curly*4 wavy*4 in_a_ponytail*4 in_a_braid*2
		buzz_cut*3 shaved_at_the_sides*2 bob*2 pixie_cut in_a_bun*2 dreadlocks cornrows mullet chin_length*2 spiky
		straight*3 wavy,_past_the_shoulders long,_often_in_a_braid`)
)

func hair(r *rand.Rand, sex string, age int) string {
	if sex == "male" && age >= 35 && chance(r, 0.12) {
		return anyOf(r, []string{"bald", "shaved", "balding", "receding, " + anyOf(r, hairColour)})
	}
	colour := anyOf(r, hairColour)
	if age >= 55 && chance(r, float64(age-40)/45) {
		colour = pick(r, hairOld)
	}
	if strings.Contains(colour, ",") || chance(r, 0.2) {
		return colour
	}
	return colour + ", " + anyOf(r, hairStyle)
}

var (
	tattooOf = words(`rose anchor compass lighthouse whale puffin moose cross star feather swallow dragon heart skull
		snowflake wolf butterfly iceberg caribou raven eagle bear trident fish dreamcatcher infinity-sign`)
	bodyPart = []string{"left forearm", "right forearm", "left wrist", "right wrist", "neck", "left hand",
		"right hand", "left shoulder", "right shoulder", "left ankle", "right calf", "back of the neck", "chest"}
	scarOn = []string{"chin", "left cheek", "right eyebrow", "forehead", "upper lip", "left hand", "right knee",
		"left forearm", "nose", "right hand"}
)

// features draws up to three distinguishing features that fit the age.
func features(r *rand.Rand, sex string, age int) string {
	var out []string
	n := 0
	switch x := r.Float64(); {
	case x < 0.35:
		n = 0
	case x < 0.75:
		n = 1
	case x < 0.95:
		n = 2
	default:
		n = 3
	}
	seen := map[string]bool{}
	for len(out) < n {
		var f string
		switch r.IntN(11) {
		case 0:
			if age >= 15 {
				f = "Tattoo of " + article(strings.ReplaceAll(pick(r, tattooOf), "-", " ")) + " on " + pick(r, bodyPart)
			}
		case 1:
			f = "Scar on " + pick(r, scarOn)
		case 2:
			f = pick(r, []string{"Glasses", "Wears glasses", "Black-rimmed glasses", "Wire-rimmed glasses", "Red glasses"})
		case 3:
			f = pick(r, []string{"Freckles", "Dimples", "Gap between front teeth", "Mole above the lip", "Birthmark on the neck", "Birthmark on the right cheek"})
		case 4:
			if age >= 14 {
				f = pick(r, []string{"Nose piercing", "Eyebrow piercing", "Lip ring", "Gauged earlobes", "Several ear piercings", "Septum piercing"})
			}
		case 5:
			if sex == "male" && age >= 18 {
				f = pick(r, []string{"Beard", "Full beard", "Moustache", "Goatee", "Stubble", "Red beard", "Grey beard"})
			}
		case 6:
			if age >= 65 {
				f = pick(r, []string{"Walks with a cane", "Uses a walker", "Hearing aid in the left ear", "Hearing aid in the right ear", "Has dementia and may be confused", "Stooped posture"})
			}
		case 7:
			if age >= 10 && age <= 17 {
				f = pick(r, []string{"Braces on the teeth", "Missing front tooth", "Acne", "Wears a retainer"})
			}
		case 8:
			f = "Wears " + article(pick(r, []string{"silver", "gold", "beaded"})+" "+pick(r, []string{"chain", "ring", "bracelet", "necklace", "earring in the left ear", "cross on a chain"}))
		case 9:
			f = pick(r, []string{"Walks with a limp", "Speaks with a stutter", "Left-handed", "Very soft-spoken", "Has diabetes and needs medication", "Needs daily medication"})
		case 10:
			f = pick(r, []string{"Hearing impaired", "Has a cast on the left arm", "Uses a wheelchair", "Missing the tip of a finger", "Has a prosthetic left leg"})
		}
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return strings.Join(out, "; ")
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

var (
	colours = []string{"black", "navy", "grey", "white", "red", "green", "blue", "dark green", "maroon", "beige",
		"brown", "yellow", "orange", "purple", "pink", "teal", "camouflage", "red plaid", "olive", "light blue",
		"charcoal", "burgundy", "khaki", "turquoise", "lime green", "cream"}
	topsWinter = []string{"parka", "puffer coat", "ski jacket", "winter coat", "snowmobile suit", "fleece jacket",
		"wool coat", "hooded parka", "insulated jacket"}
	topsOther = []string{"hoodie", "jacket", "rain jacket", "windbreaker", "sweater", "knitted sweater", "t-shirt",
		"hockey jersey", "denim jacket", "leather jacket", "work coveralls", "cardigan", "flannel shirt", "vest",
		"fleece", "track jacket", "long-sleeved shirt", "sweatshirt", "oilskin jacket", "bomber jacket"}
	bottoms = []string{"jeans", "black jeans", "blue jeans", "sweatpants", "track pants", "leggings", "cargo pants",
		"work pants", "snow pants", "khakis", "grey sweatpants", "ripped jeans", "dress pants", "plaid pajama pants",
		"shorts", "long skirt"}
	shoes = []string{"white sneakers", "black sneakers", "rubber boots", "work boots", "steel-toed boots",
		"winter boots", "hiking boots", "slippers", "running shoes", "brown boots", "Crocs", "moccasins",
		"black boots", "skate shoes"}
	hats = []string{"a black toque", "a ball cap", "a knitted hat", "a grey toque", "a red toque", "a baseball cap",
		"a flat cap", "a bucket hat", "a headband", "a bandana", "a beanie"}
)

func clothing(r *rand.Rand, month time.Month, org origin, sex string) string {
	winter := month == time.December || month <= time.March
	tops := topsOther
	if winter && chance(r, 0.8) {
		tops = topsWinter
	}
	top := pick(r, colours) + " " + pick(r, tops)
	if org == originInuit && sex == "female" && winter && chance(r, 0.3) {
		top = pick(r, colours) + " amauti"
	}
	bottom := pick(r, bottoms)
	if sex == "male" && (bottom == "long skirt" || bottom == "leggings") {
		bottom = "jeans"
	}
	parts := []string{top, bottom, pick(r, shoes)}
	if winter || chance(r, 0.25) {
		parts = append(parts, pick(r, hats))
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:]
}

var streets = words(`Water_Street Duckworth_Street Topsail_Road Kenmount_Road Elizabeth_Avenue Torbay_Road
	Harbour_Drive Main_Street Main_Road Church_Road Station_Road Lake_Road Pond_Road Hill_Road Forest_Road
	Ocean_View_Drive Bayview_Street Premier_Drive Memorial_Drive Airport_Road Lakeview_Drive Maple_Street
	Birch_Avenue Spruce_Street Elm_Street Park_Avenue King_Street Queen_Street Hamilton_Avenue Pine_Crescent
	Juniper_Lane Marine_Drive Lighthouse_Road Beach_Road Southside_Road Northside_Road Back_Road Bay_Road
	Highroad Shore_Road Cove_Road School_Road Mill_Road Cabot_Street Confederation_Avenue Churchill_Street
	Roaches_Line Conception_Bay_Highway Old_Placentia_Road Blackmarsh_Road Larkhall_Street LeMarchant_Road
	Gower_Street Military_Road Newfoundland_Drive Old_Broad_Cove_Road Monkstown_Road Freshwater_Road`)

var landmarks = []string{"the wharf", "the government wharf", "the community centre", "the high school",
	"the bus stop on Main Street", "the walking trail by the pond", "the arena", "the hospital", "the clinic",
	"the gas station on Main Road", "the grocery store", "the beach", "the lighthouse road", "the cabin road",
	"a snowmobile trail", "a logging road", "the marina", "the park", "the church", "the Legion",
	"the shopping centre", "the ferry terminal", "the post office", "the fish plant", "the soccer field",
	"the playground", "the library", "the ball field", "the slipway", "the boardwalk", "the ski hill",
	"the bridge", "the town hall", "the cemetery road", "the fire hall", "the ATV trail", "the berry grounds",
	"the woods road", "the barrens", "the salmon river", "the campground", "the lookout", "the tuckamore trail"}

func lastSeenPlace(r *rand.Rand, c community) string {
	street := strings.ReplaceAll(anyOf(r, streets), "_", " ")
	switch r.IntN(6) {
	case 0:
		return street
	case 1:
		return fmt.Sprintf("Near %d %s", 1+r.IntN(250), street)
	case 2:
		return "A friend's home on " + street
	case 3:
		return anyOf(r, []string{"The highway outside ", "The main road into ", "The turn-off to "}) + c.name
	}
	l := anyOf(r, landmarks)
	return strings.ToUpper(l[:1]) + l[1:]
}

// circumstances writes a short account that fits the person's age, with
// another community for trips, in the plain style of police appeals.
func (g *generator) circumstances(r *rand.Rand, c community, sex string, age int) string {
	pos, obj := "their", "them"
	switch sex {
	case "female":
		pos, obj = "her", "her"
	case "male":
		pos, obj = "his", "him"
	}
	other := g.community(r)
	for tries := 0; other.name == c.name && tries < 5; tries++ {
		other = g.community(r)
	}
	var list []string
	switch {
	case age <= 12:
		list = []string{
			"Was playing outside near home in the afternoon and did not come in for supper.",
			"Did not arrive home from school. The bus driver remembers the stop where " + pos + " group got off.",
			"Left a family gathering without telling anyone and may be trying to walk to a relative's home in " + other.name + ".",
			"Went to the playground with friends and did not come home with them.",
		}
	case age <= 17:
		list = []string{
			"Did not come home after school and is not answering " + pos + " phone.",
			"Left home after an argument and may be staying with friends in " + other.name + ".",
			"Was last seen getting into a dark pickup truck.",
			"Believed to be trying to reach " + other.name + ".",
			"Left a party on foot and did not arrive home.",
			"Has left home before and was found with friends in " + other.name + "; the family is more worried this time.",
			"Left for a hockey game and never arrived at the arena.",
		}
	case age >= 70:
		list = []string{
			"Left home during the night and may be confused; not dressed for the weather.",
			"Went for " + pos + " usual walk and did not return.",
			"Left the seniors' home and may be trying to reach " + pos + " old house in " + other.name + ".",
			"Drove to the store and did not come back. The car has not been found.",
			"Needs daily medication and did not take it with " + obj + ".",
		}
	default:
		list = []string{
			"Left work at the end of " + pos + " shift and did not arrive home.",
			"Went for a walk and did not return.",
			"Drove toward " + other.name + " and has not been heard from since.",
			"Went hiking alone on a trail outside the community and did not return.",
			"Went out in a small boat to check " + anyOf(r, []string{"nets", "lobster pots", "crab pots", "the cod trap"}) + " and did not come back. The boat was found adrift.",
			"Left a bar downtown on foot late at night.",
			"Set out on " + anyOf(r, []string{"a snowmobile", "an ATV", "a quad"}) + " toward " + other.name + " and did not arrive.",
			"Missed an appointment, which family say is unlike " + obj + ".",
			"Was expected on the " + anyOf(r, []string{"ferry", "flight", "bus"}) + " to " + other.name + " and never boarded.",
			"Has not been in contact with family, and " + pos + " phone has been off since.",
			"Went berry picking on the barrens and did not come back to the car.",
			"Went ice fishing on a pond near the community and did not return.",
		}
	}
	return anyOf(r, list)
}
