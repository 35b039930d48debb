package search

import "strings"

// nicknameGroups lists given names people use for one another: each line
// is one group (formal names first, then the short and pet forms heard in
// Newfoundland and Labrador). A query word matches an indexed name word when
// both are in one group, in either direction: Bill finds William, William
// finds Bill, Billy finds Will. A word may be in several groups (Al is
// Albert, Alan and Alexander). Spellings go through fold and canon first,
// so write them folded.
const nicknameGroups = `
abigail abby abbie gail
abraham abe bram
adelaide addie della heidi
agnes aggie nessa nessie
albert al bert bertie
alan allan allen al
alexander alex alec alistair alasdair sandy sandro xander al lex
alexandra alexis alex sandra sandy lexie alix
alfred alf alfie fred freddie al
alice ally allie alison lisa
amanda mandy manda
andrew andy drew andre dre
angela angie angel
ann anne anna annie nan nancy nanette hannah
anthony tony ant antoine
archibald archie baldie
arthur art artie
augustine gus gussie austin
barbara barb barbie babs bab
bartholomew bart barty
beatrice bea trixie beattie
benjamin ben benny benji
bernard bernie barney
bridget bridie biddy bride brigid breda
caroline carol carrie caro lina
catherine katherine kathryn catharine katharine kate katie kathy cathy kay kit kitty cat kat caitlin cait kathleen
charles charlie chuck chas chaz carl
charlotte lottie charlie lotte
christina christine chris chrissy tina kristine kristina
christopher chris kit topher kester
clarence clare clary
cornelius con neil connie
cyril cy
daniel dan danny dano
david dave davey davie
deborah debbie debra deb
denis dennis denny
diana diane di
donald don donnie
dorothy dot dottie dolly dora
douglas doug dougie
edmund ed eddie ned ted
edward ed eddie ned ted teddy ward
edwin ed eddie win
eileen eily aileen
eleanor ellie nell nellie nora elle ella
elizabeth beth betty betsy liz lizzie eliza libby lisa bess bessie elsie elisabeth lise babette
emily em emmy millie
eugene gene
evelyn eve evie lyn
florence flo florrie flossie
frances fran fanny frankie francine
francis frank frankie fran francois
frederick fred freddie fritz rick
gabriel gabe gabby
geoffrey jeffrey geoff jeff
george georgie geo
gerald gerry jerry ged
gerard gerry jerry ged
gertrude gertie trudy
gilbert gil bert
gregory greg
harold harry hal
helen ellen nell nellie lena elena
henry harry hank hal henri hen
herbert herb bert
hugh hughie hugo
ignatius iggy nate
isaac ike zack
isabel isabella isobel bella izzy ishbel elizabeth
jacob jake jack
james jim jimmy jamie jem seamus hamish jimmie jacques
jane janey jenny jean jeanie jeannie sheena shona
janet jan jess
jennifer jen jenny jenn
jessica jess jessie
joan joanie joanne jo
johanna joanna jo hannah
john jack johnny jock sean shaun shawn shane ian eoin evan jean jon jackie
jonathan jon jonny nathan
joseph joe joey jos jody seosamh
josephine jo josie fifi
judith judy jude
julia julie jules
katherine kate kathy katie kathleen
kenneth ken kenny
lawrence laurence larry lorne laurie
leonard len lenny leo
leslie les lesley
louis lou louie lewis luigi
louise lou lulu louisa
lucy lucille lu
madeleine madeline maddie maddy lena magdalene
margaret maggie meg peggy peg marge margie margo maisie daisy greta rita megan molly mairead
marjorie margery marge margie
martha marty mattie patty
martin marty mart
mary mae maria marie molly polly mamie minnie maureen moira maire mairi marion
matilda tilly tillie mattie maud
matthew matt matty
michael mike mikey mick mickey micky michel mitch
nathaniel nat nate nathan
nicholas nick nicky nicol nico cole colin
norman norm
oliver ollie noll
pamela pam
patricia pat patty trish tricia patsy
patrick pat paddy patsy rick padraig
peter pete peadar pierre
philip phil pip
rachel rae shelly
raymond ray
rebecca becky becca reba
richard rick ricky dick dicky rich richie
robert rob bob bobby robbie rab bert robin
ronald ron ronnie
rose rosie rosa rosalind rosaleen
samuel sam sammy
sarah sally sadie sara
stephen steven steve stevie stephane
susan sue susie suzanne susanna sukie
terence terrence terry
theodore ted teddy theo
theresa teresa terry tessa tess tessie
thomas tom tommy thom tam
timothy tim timmy
valerie val
victoria vicky vic tori
vincent vince vinnie
walter walt wally
william bill billy will willie willy liam wills bill
winifred winnie freda
zachary zach zack
`

// nicknames maps each folded name to the groups it belongs to.
type nicknames map[string][]int

// nickIndex and nickGroups are the table above, parsed once at start-up
// and never changed: read-only, like the table itself.
var nickIndex, nickGroups = newNicknames()

func newNicknames() (nicknames, [][]string) {
	var groups [][]string
	n := nicknames{}
	for line := range strings.Lines(nicknameGroups) {
		ws := strings.Fields(line)
		if len(ws) < 2 {
			continue
		}
		g := len(groups)
		groups = append(groups, ws)
		for _, w := range ws {
			if gs := n[w]; len(gs) == 0 || gs[len(gs)-1] != g {
				n[w] = append(gs, g)
			}
		}
	}
	return n, groups
}
