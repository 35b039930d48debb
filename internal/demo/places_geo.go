package demo

// townCentres are rough centres (to about a kilometre or two) of the
// showcase's communities, so the demo's map of last-seen places has
// something on it. Real towns, fictional people; the public sees each
// point rounded anyway (internal/geo).
var townCentres = map[string][2]float64{
	"St. John's": {47.561, -52.712}, "Conception Bay South": {47.505, -52.985}, "Ferryland": {47.021, -52.888},
	"Harbour Grace": {47.703, -53.214}, "Placentia": {47.243, -53.962}, "Witless Bay": {47.282, -52.830},
	"Bonavista": {48.650, -53.114}, "Burin": {47.035, -55.172}, "Clarenville": {48.163, -53.969},
	"Grand Bank": {47.098, -55.763}, "Marystown": {47.168, -55.148}, "Port Blandford": {48.350, -54.170},
	"Trinity": {48.368, -53.358}, "Baie Verte": {49.930, -56.183}, "Botwood": {49.143, -55.348},
	"Fogo Island": {49.714, -54.272}, "Gander": {48.954, -54.610}, "Grand Falls-Windsor": {48.935, -55.665},
	"Lewisporte": {49.247, -55.053}, "Twillingate": {49.650, -54.760}, "Corner Brook": {48.951, -57.948},
	"Deer Lake": {49.174, -57.427}, "Port aux Basques": {47.572, -59.137}, "Rocky Harbour": {49.654, -57.910},
	"St. Anthony": {51.364, -55.578}, "Stephenville": {48.550, -58.581}, "Woody Point": {49.502, -57.918},
	"Cartwright": {53.708, -57.021}, "Churchill Falls": {53.528, -63.970}, "Happy Valley-Goose Bay": {53.302, -60.327},
	"Hopedale": {55.457, -60.209}, "L'Anse au Loup": {51.524, -56.828}, "Labrador City": {52.945, -66.911},
	"Nain": {56.541, -61.692}, "Wabush": {52.906, -66.866},
}

// demoPlace is a last-seen place near a community's centre, a little apart
// for each case (i) so two cases in one town are not on one point; false
// for a community not in the table.
func demoPlace(community string, i int) (lat, lng float64, ok bool) {
	c, ok := townCentres[community]
	if !ok {
		return 0, 0, false
	}
	return c[0] + float64(i%5-2)*0.004, c[1] + float64(i%3-1)*0.006, true
}
