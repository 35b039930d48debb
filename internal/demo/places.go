package demo

import (
	"strconv"
	"strings"
)

// community is a real place in Newfoundland and Labrador with the region
// the site files it under and a rough weight (bigger towns report more
// people missing).
type community struct {
	name, region string
	weight       int
}

// communityLists are the communities of each region, separated by "|";
// "*N" gives a weight other than 1. Names are written as people write
// them, "St." forms, apostrophes, hyphens and French names included. A
// name appears once: the region of a community is never ambiguous.
var communityLists = map[string]string{
	"Avalon": `St. John's*110|Mount Pearl*22|Paradise*22|Conception Bay South*26|Portugal Cove-St. Philip's*8|
		Torbay*7|Logy Bay-Middle Cove-Outer Cove*3|Pouch Cove*2|Flatrock|Bauline|Petty Harbour-Maddox Cove|Goulds*3|
		Kilbride|Shea Heights*2|Quidi Vidi|Bay Bulls*2|Witless Bay*2|Mobile|Tors Cove|Cape Broyle|Calvert|Ferryland|
		Aquaforte|Fermeuse|Port Kirwan|Renews-Cappahayden|Trepassey|Portugal Cove South|St. Shott's|Peter's River|
		St. Stephen's|St. Vincent's|Gaskiers-Point La Haye|St. Mary's|Riverhead|Mount Carmel|St. Catherine's|
		Colinet|North Harbour|Salmonier|St. Joseph's|Holyrood*3|Avondale|Conception Harbour|Harbour Main|
		Chapel's Cove|Colliers|Marysvale|Brigus*2|Cupids|Clarke's Beach*2|North River|Port de Grave|Bay Roberts*5|
		Spaniard's Bay*2|Tilton|Upper Island Cove*2|Bishop's Cove|Harbour Grace*4|Carbonear*6|Victoria|Freshwater|
		Salmon Cove|Perry's Cove|Kingston|Western Bay|Ochre Pit Cove|Northern Bay|Gull Island|Burnt Point|
		Job's Cove|Lower Island Cove|Red Head Cove|Grates Cove|Bay de Verde|Old Perlican|Hant's Harbour|Winterton|
		New Perlican|Heart's Content|Heart's Desire|Heart's Delight-Islington|Whiteway|Cavendish|Green's Harbour|
		Dildo|Blaketown|Whitbourne*2|Chapel Arm|Norman's Cove-Long Cove|Long Harbour|Placentia*3|Dunville|
		Jerseyside|Fox Harbour|Ship Harbour|Point Verde|Branch|St. Bride's|Cuslett|Point Lance|Patrick's Cove|
		Angel's Cove|Topsail|Manuels|Long Pond|Foxtrap|Kelligrews|Upper Gullies|Seal Cove|Butlerville|
		Bryant's Cove|Coley's Point|Shearstown|Country Road|Hibbs Cove|Bareneed|South River|Georgetown|
		Small Point|Adam's Cove|Blackhead|Broad Cove|Bristol's Hope|Caplin Cove|Old Shop|Markland|Fair Haven|
		Argentia|Southeast Placentia|Admiral's Beach|St. Thomas|Biscay Bay|Brigus South|Burnt Cove|
		Bauline East|New Harbour|Gallows Cove|Middle Cove|Outer Cove|
		Portugal Cove|St. Philip's|Petty Harbour|Maddox Cove|Bell Island*2|Wabana|Lance Cove|Mahers|Spout Cove|
		Blow Me Down|Harricott|New Bridge|Forest Field|O'Donnells|Islington|Turks Cove|
		Hopeall|Tickle Harbour|Bellevue`,
	"Eastern": `Clarenville*6|Marystown*5|Burin*3|Grand Bank*3|Fortune*2|Bonavista*3|Trinity|Port Blandford|
		Shoal Harbour|Milton|George's Brook|Hillview|Adeytown|Hatchet Cove|St. Jones Within|Deep Bight|
		Northwest Brook|Queen's Cove|Long Beach|Southport|Little Heart's Ease|Butter Cove|Gooseberry Cove|
		Britannia|Petley|Snook's Harbour|Elliston|Port Rexton|Trinity East|Champney's West|Port Union|Catalina|
		Melrose|Little Catalina|Maberly|Newman's Cove|Amherst Cove|Keels|Duntara|King's Cove|Knight's Cove|
		Stock Cove|Tickle Cove|Open Hall|Red Cliff|Plate Cove East|Plate Cove West|Summerville|Princeton|
		Southern Bay|Charleston|Sweet Bay|Lethbridge|Brooklyn|Jamestown|Portland|Musgravetown|Bloomfield|
		Canning's Cove|Goobies|Come By Chance|Sunnyside|Arnold's Cove*2|Southern Harbour|Little Harbour East|
		Swift Current|Garden Cove|Monkstown|Boat Harbour|Baine Harbour|Rushoon|Parker's Cove|Red Harbour|
		Petite Forte|Salt Pond|Port au Bras|Fox Cove-Mortier|Epworth|Lewin's Cove|Winterland|Lamaline|Point May|
		Lord's Cove|Lawn|St. Lawrence*2|Little St. Lawrence|Frenchman's Cove|Garnish|Grand Beach|Molliers|
		Point au Gaul|Taylor's Bay|Creston|Jacques Fontaine|Bay L'Argent|Harbour Mille|Terrenceville|
		English Harbour East|Grand le Pierre|Lower Lance Cove|Hickman's Harbour|Robinson's Bight|Goose Cove|
		Trouty|New Bonaventure|Old Bonaventure|Lady Cove|Elliott's Cove|Hodge's Cove|Island Cove|Loreburn|Harcourt|
		Monroe|Waterville|Gin Cove|Lockston|Bunyan's Cove|Morley's Siding|Port Elizabeth|Burin Bay Arm|
		Little Bay|Corbin|Spanish Room|Mooring Cove|Beau Bois|Fairhaven|Davis Cove|
		Rock Harbour|Duricle|Little Bay East|
		Ivany's Cove`,
	"Central": `Gander*8|Grand Falls-Windsor*8|Lewisporte*3|Botwood*2|Bishop's Falls*2|Twillingate*2|
		Fogo Island*2|Baie Verte*2|Springdale*2|Appleton|Glenwood|Benton|Gambo|Hare Bay|Dover|
		Centreville-Wareham-Trinity|Indian Bay|Greenspond|Badger's Quay|Newtown|Lumsden|Musgrave Harbour|
		Carmanville|Aspen Cove|Ladle Cove|Gander Bay South|Gander Bay North|Clarke's Head|Victoria Cove|Birchy Bay|
		Horwood|Stoneville|Campbellton|Comfort Cove-Newstead|Embree|Little Burnt Bay|Laurenceton|Brown's Arm|
		Loon Bay|Peterview|Northern Arm|Point Leamington|Leading Tickles|Norris Arm|Badger|Millertown|Buchans|
		Buchans Junction|King's Point|Little Bay Islands|Robert's Arm|Triton|Pilley's Island|Brighton|
		Lushes Bight-Beaumont|St. Patrick's|Harry's Harbour|La Scie|Fleur de Lys|Coachman's Cove|Wild Cove|
		Middle Arm|Westport|Pacquet|Woodstock|Harbour Round|Brent's Cove|Tilt Cove|Nippers Harbour|Shoe Cove|
		Ming's Bight|Burlington|Smith's Harbour|Durrell|Crow Head|Herring Neck|Moreton's Harbour|Summerford|
		Virgin Arm|Fairbanks-Hillgrade|Cottlesville|Change Islands|Fogo|Joe Batt's Arm|Tilting|Seldom|
		Little Seldom|Barr'd Islands|Deep Bay|Island Harbour|Stag Harbour|Shoal Bay|Wesleyville|New-Wes-Valley|
		Valleyfield|Pound Cove|Templeman|Cape Freels|Deadman's Bay|Traytown|Glovertown*2|Charlottetown|
		Terra Nova|Sandringham|Eastport|Salvage|Happy Adventure|Sandy Cove|Burnside|St. Brendan's|
		Harbour Breton*2|St. Alban's|Milltown-Head of Bay d'Espoir|Morrisville|Conne River|Miawpukek|
		Hermitage-Sandyville|Gaultois|McCallum|Belleoram|English Harbour West|Mose Ambrose|Boxey|Coombs Cove|
		Wreck Cove|Pool's Cove|Rencontre East|Seal Cove (Fortune Bay)|St. Jacques|Head of Bay d'Espoir|
		Jackson's Cove|Nicky's Nose Cove|Rattling Brook|Beachside|Port Anson|Card's Harbour|
		South Brook|Sheppardville|Grand Falls|Windsor|Wooddale|Phillips Head|Michael's Harbour|
		Frederickton|Noggin Cove|Davidsville|Main Point|
		Cobb's Arm|Pike's Arm|Tizzard's Harbour|Bridgeport|Too Good Arm`,
	"Western": `Corner Brook*10|Stephenville*5|Deer Lake*4|Channel-Port aux Basques*4|Port aux Basques*2|
		Pasadena*3|St. Anthony*3|Rocky Harbour|Woody Point|Humber Arm South|Mount Moriah|Massey Drive|
		Irishtown-Summerside|Cox's Cove|McIvers|Meadows|Gillams|Hughes Brook|Lark Harbour|York Harbour|
		Frenchman's Cove (Bay of Islands)|Benoit's Cove|John's Beach|Halfway Point|Steady Brook|Little Rapids|
		Pynn's Brook|Reidville|Nicholsville|Howley|Cormack|Hampden|Jackson's Arm|Sop's Arm|Pollard's Point|
		Great Harbour Deep|Norris Point|Glenburnie-Birchy Head-Shoal Brook|Trout River|Wiltondale|Bonne Bay Pond|
		Sally's Cove|St. Paul's|Cow Head|Parson's Pond|Daniel's Harbour|Portland Creek|Hawke's Bay|
		Port Saunders*2|Port au Choix*2|Castor River|Eddies Cove|Bird Cove|Plum Point|Brig Bay|Flower's Cove|
		Nameless Cove|Sandy Cove (Great Northern Peninsula)|Savage Cove|Green Island Cove|Pines Cove|Shoal Cove|
		Anchor Point|Reefs Harbour|St. Barbe|Cook's Harbour|Ship Cove|Raleigh|Quirpon|L'Anse aux Meadows|Griquet|
		St. Lunaire-Griquet|Gunners Cove|Goose Cove East|St. Carol's|Main Brook|Conche|Croque|Englee|
		Roddickton-Bide Arm|Great Brehat|Noddy Bay|St. Anthony Bight|Straitsview|Stephenville Crossing|Kippens|
		Port au Port East|Port au Port West-Aguathuna-Felix Cove|Lourdes|Cape St. George|Mainland|
		La Grand'Terre|De Grau|Marches Point|Three Rock Cove|Black Duck Siding|St. George's|Flat Bay|
		Heatherton|Jeffrey's|Robinsons|St. Fintan's|St. David's|Highlands|Codroy|Upper Ferry|Doyles|O'Regan's|
		Millville|Searston|Tompkins|Cape Ray|Margaree|Isle aux Morts|Burnt Islands|Rose Blanche-Harbour le Cou|
		Burgeo|Ramea|Grey River|La Poile|Grand Bruit|Francois|Gallants|Black Duck Brook|Abraham's Cove|
		West Bay|Piccadilly|Boswarlos|Campbell's Creek|Noels Pond|Romaines|St. Teresa|Journois|Cap-Saint-Georges|
		L'Anse-à-Canards|Petit Jardin|Grand Jardin|Benoit's Siding|Barachois Brook|Fischells|
		South Branch|Codroy Valley|Mattis Point|Harbour le Cou|Lomond|Bellburns|
		Baker's Brook|River of Ponds|Eddie's Cove West|Big Brook|Ship Cove (Northern Peninsula)|Cape Onion|
		Boat Harbour (Northern Peninsula)|Humber Village|Spruce Brook|
		Summerside|Irishtown|Curling`,
	"Labrador": `Happy Valley-Goose Bay*7|Labrador City*5|Wabush*2|North West River|Sheshatshiu*2|Mud Lake|
		Churchill Falls|Nain*2|Hopedale|Makkovik|Postville|Rigolet|Natuashish*2|Cartwright|Black Tickle|
		Paradise River|Charlottetown (Labrador)|Pinsent's Arm|Williams Harbour|Port Hope Simpson|St. Lewis|
		Mary's Harbour|Lodge Bay|Red Bay|Pinware|West St. Modeste|L'Anse Amour|L'Anse au Loup|Capstan Island|
		Forteau|English Point|L'Anse au Clair|Norman Bay|Goose Bay|Happy Valley|Mulligan|
		Square Islands|Davis Inlet|Domino|Batteau|Snug Harbour`,
}

// communities parses communityLists into one table in the order of
// store.Regions (deterministic, unlike ranging over the map).
func communities(regions []string) []community {
	var out []community
	for _, region := range regions {
		for _, part := range strings.Split(communityLists[region], "|") {
			name := strings.TrimSpace(part)
			if name == "" {
				continue
			}
			w := 1
			if i := strings.LastIndexByte(name, '*'); i > 0 {
				if n, err := strconv.Atoi(name[i+1:]); err == nil && n > 0 {
					name, w = strings.TrimSpace(name[:i]), n
				}
			}
			out = append(out, community{name: name, region: region, weight: w})
		}
	}
	return out
}
