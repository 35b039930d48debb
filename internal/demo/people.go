package demo

import (
	"fmt"
	"time"

	"lostinnl/internal/store"
)

// person is one showcase case. Names are deliberately whimsical (NL plants,
// fish, weather) so no one can take them for real people.
type person struct {
	name, aliases string
	age           int
	sex           string
	heightCM      int
	weightKG      int
	build, hair   string
	eyes          string
	features      string
	clothing      string
	daysAgo       int
	time          string
	place         string
	community     string
	region        string
	circumstances string
	status        store.Status
	updates       []string
	withdrawn     bool // located and personal details already withdrawn
}

func (p person) toCase(i int, today time.Time) *store.Case {
	c := &store.Case{
		FullName:         p.name,
		Aliases:          p.aliases,
		Sex:              p.sex,
		Build:            p.build,
		HairColour:       p.hair,
		EyeColour:        p.eyes,
		Features:         p.features,
		Clothing:         p.clothing,
		LastSeenDate:     today.AddDate(0, 0, -p.daysAgo),
		LastSeenTime:     p.time,
		LastSeenPlace:    p.place,
		Community:        p.community,
		Region:           p.region,
		Circumstances:    p.circumstances,
		PoliceAgency:     Agency,
		PoliceFileNumber: fmt.Sprintf("DEMO-%04d", i+1),
		PolicePhone:      "709-555-0199",
		PoliceVerified:   true,
	}
	if lat, lng, ok := demoPlace(p.community, i); ok {
		c.Latitude, c.Longitude = &lat, &lng
	}
	age, h, w := p.age, p.heightCM, p.weightKG
	c.Age = &age
	if h > 0 {
		c.HeightCM = &h
	}
	if w > 0 {
		c.WeightKG = &w
	}
	return c
}

var (
	updSearch  = "Ground Search and Rescue volunteers searched the area along the shoreline today. The search continues tomorrow morning."
	updAppeal  = "Police are renewing their appeal for anyone who was in the area that evening to come forward."
	updSighted = "A possible sighting was reported and is being followed up by police."
	updFamily  = "The family thanks everyone who has shared this page and asks people to keep an eye out."
	updFound   = "Police report that this person has been found safe. Thank you to everyone who shared and helped."
)

var people = []person{
	// Avalon
	{"Marigold Tuckamore", "Goldie", 34, "female", 165, 62, "slim", "auburn, shoulder length", "green", "Freckles; small compass tattoo on left wrist", "Navy rain jacket, grey jeans, white sneakers", 3, "21:40", "Water Street near the War Memorial", "St. John's", "Avalon", "Left a restaurant on foot to walk home and did not arrive. Phone has been off since.", store.StatusMissing, []string{updSearch, updAppeal}, false},
	{"Percival Bakeapple", "Percy", 71, "male", 178, 80, "medium", "white, short", "blue", "Walks with a cane; hearing aid in right ear", "Brown corduroy jacket, flat cap, black boots", 12, "08:15", "Topsail Beach parking lot", "Conception Bay South", "Avalon", "Drove to the beach for his usual morning walk. His car was found in the lot. He has early memory loss and may be confused.", store.StatusMissing, []string{updSearch, updSighted, updFamily}, false},
	{"Juniper Crowberry", "", 16, "female", 160, 52, "slim", "black, long, often in a braid", "brown", "Braces on her teeth", "Purple hoodie with school crest, black leggings", 6, "15:30", "Avalon Mall bus stop", "St. John's", "Avalon", "Did not come home after school. She may be trying to reach friends in Mount Pearl.", store.StatusMissing, []string{updAppeal}, false},
	{"Ambrose Capelin", "", 45, "male", 183, 95, "heavy", "brown, receding", "hazel", "Beard; scar on chin", "Orange work coveralls, steel-toed boots", 20, "17:00", "Wharf road", "Placentia", "Avalon", "Finished a shift at the wharf and was not seen again. His truck is still at the wharf.", store.StatusMissing, []string{updSearch, updSearch, updAppeal}, false},
	{"Delphine Partridgeberry", "Del", 29, "female", 170, 68, "athletic", "blonde, short", "blue", "Nose piercing", "Red running jacket, black tights", 40, "06:30", "East Coast Trail trailhead", "Witless Bay", "Avalon", "Went for a trail run and did not return. Her car was at the trailhead.", store.StatusMissing, []string{updSearch, updFamily}, false},
	{"Cornelius Dulse", "Corny", 58, "male", 175, 77, "medium", "grey", "brown", "Glasses; tattoo of an anchor on right forearm", "Green fleece, jeans", 95, "", "Harbour front", "Harbour Grace", "Avalon", "Was last seen by a neighbour walking toward the harbour front.", store.StatusMissing, []string{updAppeal}, false},
	{"Wilhelmina Gansey", "Billie", 19, "female", 158, 55, "slim", "dyed pink", "grey", "", "Black puffer coat, yellow toque", 9, "23:10", "George Street", "St. John's", "Avalon", "Left a friend's party and did not get into the taxi they had called together.", store.StatusLocated, []string{updAppeal, updFound}, false},
	{"Horatio Fogbank", "", 38, "male", 180, 85, "medium", "black", "brown", "", "Grey hoodie", 30, "", "Ferryland lighthouse road", "Ferryland", "Avalon", "Report being checked with police.", store.StatusPending, nil, false},

	// Eastern
	{"Rosalind Tickle", "Rosie", 52, "female", 163, 70, "medium", "brown, curly", "brown", "Wears red glasses", "Long beige coat, blue scarf", 5, "13:20", "Clarenville Shopping Centre", "Clarenville", "Eastern", "Went shopping and did not return home. She had not taken her medication.", store.StatusMissing, []string{updSighted, updAppeal}, false},
	{"Barnabas Kittiwake", "Barney", 14, "male", 155, 45, "slim", "red, short", "blue", "Freckles; missing front tooth", "Green hockey jacket, black track pants", 2, "19:00", "Bonavista arena", "Bonavista", "Eastern", "Left hockey practice on his bike. The bike was found near the Dungeon Provincial Park road.", store.StatusMissing, []string{updSearch}, false},
	{"Seraphina Mummer", "", 67, "female", 157, 60, "small", "grey, bun", "blue", "Hearing aids", "Knitted red sweater, navy slacks", 60, "10:00", "Church hill", "Trinity", "Eastern", "Went out for a walk and did not come back. She knows the area well.", store.StatusMissing, []string{updSearch, updSearch, updFamily}, false},
	{"Thaddeus Squidjigger", "Tad", 33, "male", 188, 92, "broad", "blond, buzz cut", "green", "Tattoo of a squid on left calf", "Black leather jacket, jeans", 150, "", "Ferry terminal", "Marystown", "Eastern", "Was expected on the ferry and never boarded.", store.StatusMissing, []string{updAppeal}, false},
	{"Clementine Lassy", "Clem", 24, "female", 168, 58, "slim", "brown, long", "brown", "", "White rain coat, green boots", 21, "18:30", "Grand Bank waterfront", "Grand Bank", "Eastern", "Did not arrive at her shift.", store.StatusLocated, []string{updSearch, updFound}, false},
	{"Ignatius Scrunchion", "", 41, "male", 176, 82, "medium", "brown", "blue", "", "Camouflage jacket", 400, "", "Cabin road", "Port Blandford", "Eastern", "Went to his cabin for the weekend.", store.StatusArchived, []string{updSearch}, false},
	{"Ottoline Figgyduff", "", 36, "female", 166, 64, "medium", "black", "brown", "", "Blue coat", 15, "", "Burin highway", "Burin", "Eastern", "Duplicate report (already listed under another file).", store.StatusRejected, nil, false},
	{"Eustace Mauzy", "", 26, "male", 181, 78, "slim", "dark brown, curly", "brown", "Gold earring in left ear", "Yellow oilskins, rubber boots", 7, "05:45", "Government wharf", "Bonavista", "Eastern", "Went out to check lobster pots in a small boat. The boat was found adrift.", store.StatusMissing, []string{updSearch, updSearch}, false},

	// Central
	{"Philomena Bogbean", "Phil", 43, "female", 172, 75, "medium", "red, long", "green", "Birthmark on right cheek", "Teal parka, black snow pants", 4, "16:50", "Gander Mall", "Gander", "Central", "Left work and did not pick up her children as planned.", store.StatusMissing, []string{updAppeal, updSighted}, false},
	{"Archibald Snowsquall", "Archie", 80, "male", 170, 68, "thin", "white, balding", "grey", "Uses a walker", "Plaid shirt, suspenders, slippers", 1, "03:00", "Seniors' home", "Grand Falls-Windsor", "Central", "Left the home during the night. He may be heading to his old house on the river.", store.StatusMissing, []string{updSearch}, false},
	{"Evangeline Puffin", "Evie", 17, "female", 162, 50, "slim", "brown, bob", "hazel", "Glasses", "Black denim jacket, pink backpack", 11, "12:00", "Ferry dock", "Twillingate", "Central", "Believed to have taken the ferry to the mainland of the island.", store.StatusMissing, []string{updAppeal, updFamily}, false},
	{"Bartholomew Gullcry", "", 50, "male", 185, 100, "heavy", "grey, beard", "blue", "Limp in left leg", "Red plaid jacket", 200, "", "Lewisporte marina", "Lewisporte", "Central", "Was last seen at the marina.", store.StatusMissing, []string{updAppeal}, false},
	{"Henrietta Jiggsdinner", "Hettie", 62, "female", 160, 72, "medium", "grey, short", "brown", "", "Blue parka", 14, "", "Botwood walking trail", "Botwood", "Central", "Went walking and got lost; found by searchers.", store.StatusLocated, []string{updSearch, updFound}, true},
	{"Fitzgerald Berg", "Fitz", 31, "male", 179, 84, "athletic", "black", "brown", "Tattoo sleeve on right arm", "Grey hoodie, black jeans", 45, "22:00", "Fogo Island ferry", "Fogo Island", "Central", "Was travelling home and did not arrive.", store.StatusMissing, []string{updAppeal, updSighted}, false},
	{"Ursula Crannyhole", "", 27, "female", 167, 59, "slim", "brown", "blue", "", "", 3, "", "Baie Verte", "Baie Verte", "Central", "Report being checked with police.", store.StatusPending, nil, false},
	{"Lazarus Sculpin", "", 22, "male", 177, 70, "slim", "blond", "blue", "", "Black jacket", 10, "", "Gander", "Gander", "Central", "Found before publication.", store.StatusRejected, nil, false},

	// Western
	{"Octavia Blueberry", "Tavi", 39, "female", 169, 66, "medium", "dark brown, ponytail", "brown", "Dimples", "Green ski jacket, white toque", 8, "14:00", "Marble Mountain ski hill", "Corner Brook", "Western", "Went skiing alone and did not return to her car.", store.StatusMissing, []string{updSearch, updSearch, updAppeal}, false},
	{"Mortimer Caribou", "Mort", 55, "male", 182, 90, "broad", "grey, ponytail", "blue", "Silver ring on thumb", "Hunting vest, orange cap", 25, "07:00", "Logging road off Route 430", "Rocky Harbour", "Western", "Went hunting and did not come back. His ATV was found on the logging road.", store.StatusMissing, []string{updSearch, updFamily}, false},
	{"Genevieve Gannet", "Viv", 15, "female", 159, 48, "slim", "black, short", "brown", "", "Yellow raincoat, rainbow backpack", 4, "16:00", "Stephenville bus station", "Stephenville", "Western", "Believed to have boarded a bus to Port aux Basques.", store.StatusMissing, []string{updAppeal, updSighted}, false},
	{"Lucius Tidewater", "", 64, "male", 174, 76, "medium", "white", "brown", "Glasses; hearing aid", "Blue windbreaker", 70, "", "Deer Lake airport", "Deer Lake", "Western", "Was dropped off at the airport and did not board his flight.", store.StatusMissing, []string{updAppeal}, false},
	{"Perpetua Sculpin", "Pet", 47, "female", 164, 63, "medium", "blonde, curly", "green", "", "Red coat", 18, "", "Ferry terminal", "Port aux Basques", "Western", "Found safe in Nova Scotia.", store.StatusLocated, []string{updSighted, updFound}, false},
	{"Aloysius Barrens", "Al", 35, "male", 186, 88, "athletic", "brown", "grey", "", "Black toque, green jacket", 33, "09:30", "Gros Morne trailhead", "Woody Point", "Western", "Went hiking in Gros Morne and did not return.", store.StatusMissing, []string{updSearch, updSearch, updSearch}, false},
	{"Drusilla Icefloe", "", 28, "female", 171, 61, "slim", "black", "brown", "", "", 300, "", "St. Anthony", "St. Anthony", "Western", "Case closed.", store.StatusArchived, nil, false},
	{"Ezekiel Lobscouse", "Zeke", 19, "male", 180, 72, "slim", "brown, long", "blue", "Lip piercing", "Black band t-shirt, jeans", 13, "01:00", "Corner Brook stream trail", "Corner Brook", "Western", "Left a bonfire with friends and did not come home.", store.StatusMissing, []string{updAppeal}, false},

	// Labrador
	{"Cordelia Tamarack", "Delia", 33, "female", 166, 65, "medium", "black, long", "brown", "", "Blue parka with fur hood", 5, "20:00", "Hamilton River Road", "Happy Valley-Goose Bay", "Labrador", "Left a friend's home to walk to the store.", store.StatusMissing, []string{updAppeal, updSighted}, false},
	{"Bertrand Snowshoe", "Bert", 60, "male", 176, 84, "medium", "grey", "brown", "", "Snowmobile suit, black and red", 16, "11:00", "Snowmobile trail toward Wabush", "Labrador City", "Labrador", "Set out by snowmobile and did not arrive in Wabush.", store.StatusMissing, []string{updSearch, updSearch, updFamily}, false},
	{"Theodora Char", "Teddie", 21, "female", 161, 54, "slim", "brown", "brown", "", "Green parka", 2, "18:00", "Nain airstrip", "Nain", "Labrador", "Was expected on a flight and did not board.", store.StatusMissing, []string{updAppeal}, false},
	{"Ebenezer Aurora", "Eb", 44, "male", 184, 96, "heavy", "black, beard", "brown", "Scar on left hand", "Orange parka", 120, "", "Cartwright harbour", "Cartwright", "Labrador", "Went out in a boat to check nets.", store.StatusMissing, []string{updSearch, updAppeal}, false},
	{"Minerva Blackfly", "Minnie", 12, "female", 150, 40, "small", "brown, pigtails", "blue", "", "Pink snowsuit", 1, "17:30", "Wabush school", "Wabush", "Labrador", "Did not come home from school; found at a friend's house.", store.StatusLocated, []string{updFound}, false},
	{"Leopold Icebergalley", "Leo", 37, "male", 178, 81, "medium", "brown", "green", "", "Black jacket", 50, "", "L'Anse au Loup", "L'Anse au Loup", "Labrador", "Went for a walk along the coast.", store.StatusMissing, []string{updAppeal}, false},
	{"Aurelius Tuckamore-Fog", "Reel", 24, "male", 175, 70, "slim", "black, short", "brown", "Wears a silver chain", "Navy hoodie, grey sweatpants", 6, "22:15", "Churchill Falls road", "Churchill Falls", "Labrador", "Left a gathering to drive home and his truck was found on the shoulder of the highway.", store.StatusMissing, []string{updSearch, updAppeal}, false},
	{"Griselda Bannock", "Zelda", 48, "female", 165, 70, "medium", "grey, short", "brown", "Wears a beaded necklace", "Red amauti", 80, "", "Hopedale", "Hopedale", "Labrador", "Was last seen leaving the community centre.", store.StatusLocated, []string{updSearch, updFound}, false},
}
