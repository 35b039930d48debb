package demo

import "strings"

// Name lists for the generated cases. Given names and surnames are common
// names of the groups who live in Newfoundland and Labrador (West Country
// English, Irish, Scottish, French and Acadian, Mi'kmaq, Innu, Inuit and
// Labrador settler families, and recent immigrants). Each generated person
// is a random combination of a given name, a surname and a community, so
// nobody in the data is a real person or a real missing-person record.
//
// Within each list the most common names come first: draws favour the
// front of a list (see pick) the way real name frequencies do, while the
// long tail still turns up.

// words splits a space-separated list; the lists are written that way to
// keep thousands of names readable.
func words(s string) []string { return strings.Fields(s) }

// Given names by the era a person was born in: a 70-year-old is more
// likely a Margaret than a Madison.
var (
	femaleOld = words(`Mary Margaret Patricia Elizabeth Catherine Kathleen Joan Helen Ann Bridget Agnes Theresa Rita
		Dorothy Doris Eileen Ellen Florence Frances Gladys Hazel Irene Jean Josephine Joyce Lillian Lorraine Loretta
		Marion Marie Marjorie Maureen Mildred Minnie Monica Muriel Nellie Nora Norma Olive Pauline Phyllis Rose Ruby
		Ruth Shirley Sheila Stella Susan Sylvia Veronica Violet Winnifred Geraldine Gwendolyn Beatrice Bernadette
		Blanche Carmel Cecilia Clara Constance Daphne Edna Effie Elsie Emma Ethel Evelyn Fanny Flora Gloria Grace
		Harriet Ivy Jessie Lena Lucy Mabel Madeline Martha Maud Myrtle Nancy Pearl Priscilla Rosalie Sadie Selina
		Thelma Vera Vivian Annie Ada Alma Bertha Bessie Carrie Dulcie Emily Eva Freda Gertrude Hilda Hannah Ina Leah
		Lottie Lydia Mae Millicent Naomi Rhoda Sarah Susannah Tryphena Una Vina Alberta Barbara Beverley Brenda Carol
		Carolyn Cheryl Claire Colleen Deborah Denise Diane Donna Elaine Gail Glenda Heather Janet Janice Joanne Judy
		Karen Linda Lois Marilyn Marlene Pamela Paula Penny Roberta Rosemary Sandra Sharon Sherry Wanda Wendy Yvonne
		Valerie Audrey Bonnie Charlene Christine Connie Darlene Della Doreen Edith Georgina Glenys Jacqueline Joy
		Lorna Louise Lucille Lynda Madonna Marguerite Maxine Noreen Philomena Regina Rosalind Ursula Verna Viola Wilma
		Alice Amelia Antoinette Augusta Bridie Camilla Cassie Cora Delphine Dora Eleanor Elva Enid Esther Eunice
		Geneva Genevieve Henrietta Hester Imelda Inez Iris Isabel Jemima Juliana Lavinia Letitia Lila Lizzie Lorena
		Lucinda Mamie Matilda Melita Mina Miriam Mona Nina Olga Ora Patience Rachel Rebecca Roxie Sybil Tessie Zita
		Adelaide Albertha Alfreda Almira Althea Amy Angela Annabel Arlene Bernice Bride Carmelita Cassandra Catharine
		Charity Christina Clarice Cordelia Corinna Delia Dinah Dorcas Dulcibella Elfreda Elmira Elvina Emmeline Ernestine
		Ester Ethelwyn Eudora Euphemia Fannie Georgette Gertie Greta Hattie Honora Ida-Mae Isabella Jane Janie Joanna
		Julia Kate Katie Keziah Lavina Leona Lettie Lila-Mae Lilian Lorette Louisa Lula Madge Marcella Marietta Maxine
		Mercy Merle Minerva Nettie Nita Oriel Pansy Petra Prudence Queenie Rosamund Rosella Sabina Sophronia Theodora
		Trudy Una-May Vina Virginia Wilhelmina Willa Zenobia`)
	femaleMid = words(`Jennifer Amanda Melissa Jessica Michelle Stephanie Nicole Heather Amy Angela Lisa Krista Tanya
		Tracy Tammy Kimberly Andrea Crystal Laura Sarah Rebecca Christina Kelly Erin Natalie Rachel Shannon Tara
		Danielle Carla Leanne Dawn April Ashley Brandy Carrie Dana Heidi Holly Jaime Jill Jodi Julie Kerri Kim Kristen
		Lori Monique Nadine Renee Rhonda Robyn Sabrina Samantha Shauna Sherri Stacey Tina Trudy Vanessa Vicki Allison
		Alicia Candace Cassandra Chantelle Charmaine Courtney Cynthia Felicia Gillian Jocelyn Joanna Kathryn Katrina
		Kristy Leslie Lindsay Mandy Marcia Megan Melanie Meredith Miranda Natasha Paige Roxanne Selena Shelley Sonya
		Tasha Tiffany Whitney Brittany Caitlin Chelsea Jenna Kara Kayla Kendra Lacey Lauren Mallory Meghan Morgan
		Nikki Rebekah Shawna Sheena Tamara Tricia Trina Adrienne Alison Amber Aimee Bobbi Brandi Candice Carly Celeste
		Christa Corinne Darla Deanna Desiree Erica Jacinta Janine Jolene Kari Keri Kristin Lana Lynette Marnie Maria
		Nancy Nina Rochelle Serena Sheri Tabitha Terri Tonya Wendy Yolanda Abby Alana Brianna Cara Cheyenne Ciara
		Dianna Elena Hillary Ingrid Jillian Kellie Kirsten Larissa Lydia Marissa Noelle Rosanne Sonia Sheryl Susanna
		Annette Belinda Bernice Brandie Calla Candy Carmen Cherie Cindy Coral Daphne Darcie Delia Dena Edie Eva
		Fawn Gina Greta Hope Ivy Jana Jasmine Jolie Joni Juanita Karla Kasey Kelsey Kristal Lacy Leigh Lorie Lynn
		Marla Maxine Mindy Misty Nina Norma Olga Patrice Phoebe Rita Rosa Shana Shari Sherry Starla Stacy Tamsin
		Terra Tori Twyla Valerie Wanda Wendi Yvette`)
	femaleNew = words(`Olivia Emma Ava Charlotte Sophia Amelia Isabella Mia Evelyn Harper Abigail Emily Ella Elizabeth
		Avery Sofia Scarlett Madison Chloe Grace Lily Hannah Zoe Nora Riley Layla Brooklyn Leah Hailey Paisley Kaylee
		Addison Alexis Alyssa Aria Aubrey Bella Brooke Cadence Callie Claire Daisy Delaney Eden Ellie Everly Faith
		Gabrielle Georgia Harlow Hazel Isla Ivy Jade Jasmine Jordyn Josie Julia Kaitlyn Kenzie Lila Lucy Luna Mackenzie
		Maya Mila Molly Naomi Nevaeh Olive Payton Piper Quinn Reese Rowan Ruby Sadie Savannah Sienna Skylar Sophie
		Stella Summer Sydney Taylor Violet Willow Adalyn Aurora Autumn Briar Brielle Cali Clara Emery Esme Freya Gemma
		Hadley Hallie Isabelle Jayla Kinsley Kennedy Lexi Lyla Madelyn Makayla Marley Mckenna Nova Oakley Presley
		Raelynn Rylee Sloane Tessa Wren Ainsley Anna Ayla Camryn Elise Eliza Elsie Jorja Kiera Lainey Lauryn Maddison
		Maisie Marlee Raven Sasha Sierra Teagan Trinity Vivienne Alexa Amaya Arabella Athena Bailey Blakely Bonnie
		Cecily Daphne Delilah Eloise Elena Emersyn Evangeline Everleigh Fiona Hope Iris Ivory Jolene Juniper Kali
		Keira Kendall Laila Lennon Lorelei Lucia Madeleine Magnolia Maren Maeve Mara Nadia Nyla Ophelia Penelope
		Phoebe Remi Rosalie Saige Serenity Talia Thea Valentina Vera Wynter Zara Ember Indie Kaia Lacey Mabel Rosie Adeline Alivia Allie Alora
		Amara Annabelle Ansley Aspen Aubree Audrina Aurelia Averie Bianca Blair Brynn Carly Celia Charlie Chelsea
		Dahlia Elaina Ellery Elliana Emerie Estelle Evie Fallon Finley Gianna Haven Hattie Holland Imogen Ivy-Rose
		Jaelyn Jocelyn Joelle Journey Kamryn Karsyn Kaylin Kenna Kinley Kylie Leighton Lennox Lilah Liv Lola Londyn
		Lydia Macy Maggie Malia Margot Maya-Rose Meadow Millie Miriam Nola Noelle Norah Oaklyn Paislee Palmer Pippa
		Poppy Raegan Reagan Rosalyn Royal Sage Saylor Scout Selah Shiloh Skye Sutton Tenley Tinsley Veda Vienna
		Whitley Winnie Zoey Zuri`)
	maleOld = words(`John James William Thomas Patrick Michael Joseph George Robert Edward Richard Charles Frederick
		Albert Arthur Alfred Ambrose Andrew Augustus Benjamin Bernard Bertram Cecil Chesley Clarence Cyril Daniel David
		Denis Douglas Edgar Edmund Eli Elijah Ernest Eugene Francis Gerald Gilbert Gordon Harold Harvey Henry Herbert
		Hubert Hugh Isaac Jacob Jeremiah Jesse Job Kenneth Lawrence Leo Leonard Lewis Llewellyn Loyola Malcolm Martin
		Matthew Maurice Max Moses Nathaniel Norman Oliver Oswald Owen Percy Peter Philip Ralph Raymond Reginald Roland
		Ronald Roy Samuel Sidney Simon Stanley Stephen Theodore Victor Wallace Walter Wilfred Willis Alphonsus
		Aloysius Basil Boyd Calvin Clayton Clifford Cornelius Eldon Elmo Eric Ewart Ezra Fabian Hayward Heber Hedley
		Hector Ignatius Jabez Josiah Lambert Lemuel Levi Lionel Lloyd Lorenzo Mark Melvin Mervin Murray Neil Obadiah
		Otto Reuben Rex Rupert Silas Solomon Sylvester Thaddeus Truman Urban Vernon Wilson Winston Allan Barry Bruce
		Carl Clyde Dale Dennis Derek Donald Earl Gary Glen Graham Gregory Guy Jerome Keith Kevin Larry Lester Louis
		Lyle Maxwell Nelson Paul Randy Rodney Roger Russell Terence Trevor Wayne Wendell Brendan Desmond Gerard Leon
		Lorne Merrill Rowland Stewart Ward Abraham Alonzo Alvin Amos Angus Austin Baxter Bertie Caleb Cletus Dominic
		Edwin Elias Elwood Emmanuel Everett Felix Fergus Garfield Gideon Gus Hiram Horace Howard Irving Ivan Jonas
		Leslie Luke Marshall Morley Nicholas Noel Oscar Raphael Rowan Seymour Thomas Tobias Ulric Walton Wesley Wilbert
		Abram Adolphus Alban Alvah Ananias Archibald Arch Asa Avery Azariah Barnabas Bartholomew Benedict Bertrand
		Burton Byron Cassius Chester Christopher Claude Clement Colin Conrad Cuthbert Darius Delbert Dudley Ebenezer
		Edgar Egbert Elisha Elmer Emerson Enos Ephraim Erasmus Ernie Eustace Evan Ewen Fenwick Ferdinand Fletcher
		Gabriel Garland Gerard Gideon Godfrey Gower Hamilton Hank Hartley Hayden Herman Hezekiah Horatio Howell Ira
		Jasper Jethro Joachim Jonathan Joshua Julian Julius Kingsley Lancelot Leander Lemuel Linus Lucius Luther
		Manuel Marcus Meredith Micah Milton Mortimer Murdoch Nathan Nehemiah Ned Nigel Orville Osmond Patrick Percival
		Philemon Quentin Randolph Reuben Roderick Rufus Rupert Sampson Septimus Sherwood Stuart Tobias Tom Ulysses
		Valentine Vincent Virgil Wendell Wilfrid Willard Zachariah Zebedee`)
	maleMid = words(`Christopher Jason Michael Matthew Jeffrey Brian Darren Kevin Stephen Scott Shawn Jamie Ryan Andrew
		Jonathan Craig Trevor Derek Shane Todd Corey Chad Dwayne Bradley Brent Colin Curtis Darryl Dean Derrick Dion
		Gregory Jeremy Joel Justin Kirk Kyle Lance Marc Mitchell Nathan Nicholas Rodney Sean Steven Terrance Travis
		Trent Troy Tyler Warren Wade Adrian Alan Blair Brad Bryce Cameron Clint Cody Dallas Damian Darcy Devin Dustin
		Evan Garrett Gavin Grant Jarrod Jeff Jordan Joshua Kristopher Lee Marcus Mark Neville Owen Quentin Randall
		Robbie Rory Russell Seth Stuart Tobias Zachary Brandon Cory Graham Jared Jesse Myles Nolan Reid Spencer Wesley
		Aaron Adam Anthony Barry Benjamin Bobby Brett Byron Calvin Carey Chris Clayton Conrad Dale Danny Darrell Dave
		Dwight Elliot Ernie Francis Fraser Geoffrey Glenn Harley Ian Jay Jody Keith Kent Kurt Lorne Luke Marty Morgan
		Neil Norm Perry Peter Philip Preston Randy Raymond Rick Rob Robert Roderick Ron Sheldon Stanley Terry Tim
		Timothy Tony Vaughn Wayne Wendell Willard Zane Alvin Andy Arnold Blaine Brock Burton Cecil Chesley
		Clifton Cornell Dalton Darian Deon Derwin Dominic Donnie Dorian Earl Elvis Emmett Everett Franklin Gerard
		Gilbert Hank Harris Heath Hugh Jarvis Jerald Joey Judson Kendall Kendrick Lyndon Marlon Milton Mitch Monte
		Nelson Norman Percy Quinton Reggie Rex Rodger Roland Roy Rusty Sidney Skip Stacey Stewart Ted Thad Toby
		Vern Vince Walt Ward Wes Winston`)
	maleNew = words(`Liam Noah Lucas Benjamin Oliver William Jack Ethan Logan Owen Jacob Hunter Carter Jackson Mason
		Alexander Nathan Ryan Connor Brayden Aiden Archer Asher Austin Axel Beau Bennett Blake Bodhi Brady Brody Caleb
		Callum Carson Chase Colton Cooper Dawson Declan Dominic Easton Eli Elias Elliot Emmett Everett Ezra Finn
		Gabriel Gage Grayson Griffin Harrison Hayden Hudson Isaac Jace Jaxon Jayden Jonah Kade Kai Kaiden Keegan
		Landon Leo Levi Lincoln Luca Luke Mateo Max Micah Miles Nash Parker Quinn Reid Riley Rowan Ryder Sawyer
		Sebastian Silas Theo Thomas Tristan Tucker Wyatt Xavier Zane Ashton Beckett Bentley Brantley Braxton Cole
		Colby Corbin Dexter Drew Dylan Gavin Greyson Hendrix Holden Jasper Jude Kaleb Knox Lachlan Lane Maddox Nolan
		Oscar Paxton Rhys Roman Ronan Rylan Sullivan Talon Tate Tyson Weston Wilder Zachary Abel Adrian Alden Anders
		Arlo Atlas Barrett Bowen Brooks Cade Calvin Camden Cash Cohen Crew Dalton Damon Davis Desmond Eamon Emerson
		Enzo Ezekiel Felix Fletcher Ford Gideon Graham Hank Harvey Hugo Jameson Jensen Jett Kian Kieran Koda Landen
		Lennox Malachi Marshall Matteo Milo Myles Nico Otis Phoenix Porter Reed Remington Rory Sutton Tanner Thatcher
		Thaddeus Tobias Walker Warren Wesley Winston Zayden Ace Alec Amos Andre Archie Ari August Bear Bodie
		Boston Bradyn Brecken Briggs Bryson Cain Camden Canaan Chance Clark Clay Conrad Cruz Dane Dariel Deacon
		Denver Duke Ellis Ely Emery Evander Fisher Flynn Gannon Gatlin Gunner Harlan Hayes Hollis Huxley Ira Jagger
		Jax Jaylen Jensen Joey Kash Keaton Kellan Kingston Kolby Lawson Leland Lennon Lochlan Lukas Marcus Mack
		Maverick Memphis Murphy Nate Nixon Orion Pierce Quentin Raiden Ransom Reeve Rhett Rocco Rory Royce Ryker
		Sam Sterling Stetson Tatum Teddy Thane Tripp Troy Vance Wade Watson Wells Wilson Wylie Zeke`)
	// Gendered names of the other origins (no era: families keep them).
	femaleIrish = words(`Aoife Ciara Niamh Siobhan Siobhán Róisín Roisin Saoirse Orla Aisling Caoimhe Clodagh Deirdre
		Eimear Gráinne Maeve Mairead Nuala Sinéad Sinead Úna Bríd Fionnuala Áine Aine Bronagh Catriona Dervla Eilish
		Fiadh Kathleen Mairéad Maura Nessa Nora Oonagh Orlaith Rosaleen Shauna Sorcha Treasa`)
	maleIrish = words(`Seán Sean Ciarán Ciaran Pádraig Padraig Declan Eamon Fergal Cormac Colm Conor Darragh Dermot
		Donal Eoin Fintan Kieran Liam Niall Oisín Rónán Ruairí Tadhg Cathal Brendan Finbar Lorcan Aidan Brian Cian
		Cillian Diarmuid Donnacha Eamonn Feargal Killian Lochlann Malachy Odhran Rory Shay Turlough`)
	femaleScots = words(`Ailsa Catriona Eilidh Fiona Iona Isla Kirsty Mhairi Morag Moira Rhona Shona Elspeth Kenna
		Ishbel Jessie Lorna Mairi Marsaili Sheena Innes Effie Greer Skye`)
	maleScots = words(`Alasdair Angus Archibald Callum Campbell Dougal Duncan Ewan Fraser Gregor Hamish Iain Innes
		Lachlan Murdo Ross Struan Torquil Euan Gordon Alistair Blair Calum Finlay Gillis Hector Keir Kenneth Lachie
		Malcolm Murray Rab Ruaridh Sandy Tavish`)
	femaleFrench = words(`Amélie Anne-Marie Annick Brigitte Céline Chantal Claudette Colette Danielle Denise Dominique
		Élise Émilie Estelle Francine Geneviève Ginette Hélène Isabelle Jacinthe Josée Julie Laurence Lise Louise
		Lucie Madeleine Manon Marie-Claire Marie-Ève Marie-Josée Martine Mélanie Micheline Monique Nathalie Nicole
		Odette Pascale Renée Simone Solange Sophie Stéphanie Suzanne Sylvie Thérèse Valérie Véronique Yvette Zoé Chloé
		Léa Camille Noémie Océane Maëlle Rosalie Juliette Gabrielle Élodie Agathe Éloïse Adèle Clémence Mireille
		Aurélie Édith Rachelle Annette Bernadette Cécile Germaine Jeannine Lorraine Marcelle Pierrette Rolande Yolande`)
	maleFrench = words(`André Antoine Benoît Bertrand Claude Denis Étienne Félix François Frédéric Gaétan Gérard Gilles
		Guy Hugo Jacques Jean Jean-Luc Jean-Marc Jean-Pierre Jean-Guy Jérôme Joël Julien Laurent Léo Louis Luc Marcel
		Mathieu Maxime Michel Normand Olivier Pascal Philippe Pierre Raoul Réjean Rémi René Roch Serge Sébastien Simon
		Stéphane Sylvain Thierry Vincent Yves Yannick Alexandre Gabriel Émile Théo Édouard Hervé Armand Lucien Gaston
		Ferdinand Aurèle Donat Fernand Cyrille Alphonse Clément Damien Fabien Germain Hilaire Jules Léon Lionel
		Marius Noël Octave Prosper Roméo Ulysse Xavier`)
	// Innu families mostly use French and English Christian names, some in
	// their Innu-aimun forms.
	femaleInnu = words(`Mary Agathe Angela Christine Elizabeth Germaine Jacqueline Josephine Madeline Matilda Philomena
		Rose-Anne Marie-Adele Ann-Marie Nympha Sarah Teresa Anne Agnes Cecilia`)
	maleInnu = words(`Sebastien Etienne Antoine Simeon Mathieu Shimun Tuamish Pien Mishen Ben Damien Francis Gregoire
		Joachim Prote Basile Dominique Patrice`)
	// Labrador Inuit names: Moravian-era Christian names and Inuttut names.
	femaleInuit = words(`Nuka Siku Nivi Aputi Sila Kallik Rhoda Tabea Zipporah Ernestine Emilia Sophie Harriet Susie
		Beatrice Naomi Jerusha Katie Amelia Hilda Tabitha Nellie Bertha Dinah Annie Miriam Ruth Martha Sarah Minnie`)
	maleInuit = words(`Tuktu Nanuk Ujarak Qilak Amaruq Jacko Boas Gustav Joas Abel Jerry Jako Tobias Isaac Sem Joshua
		Jonas Gideon Enoch Noah Simeon Zach Herbert Levi Elias Julius Ernest Cyrus Titus Wilson Moses`)
	femaleNew2 = words(`Priya Ananya Divya Harpreet Simran Anjali Deepika Neha Pooja Kavya Mei Xiaoling Ying Yan Lin Hui
		Jia Xin Maricel Rowena Analyn Mylene Jhoanna Cherry Princess Ngozi Adaeze Ifeoma Funmilayo Chiamaka Amaka
		Yasmin Rania Layla Nour Hala Lina Reem Fatima Aisha Maryam Oksana Olena Yulia Iryna Nataliya Svitlana Linh
		Huong Thu Mai Camila Valentina Lucía Gabriela Fernanda Larissa Shirin Parisa Hodan Ayaan Fartun Ji-woo
		Seo-yeon Min-ji Sakura Yuki Anastasia Zainab Amina Ewa Agnieszka Ana Beatriz Chiara Giulia Mariam Noor Salma
		Dana Tala Leila Sana Zahra Esra Elif Selin Meron Hiwot Selam Tigist Aditi Ishita Sneha Lakshmi Meera Gurleen
		Jasleen Navneet Rupinder Xiu Qing Fang Yun Hyun-ji Soo-ah Thao Ngoc Trang Hanh Joy-Ann Kristel Lovely Mariel`)
	maleNew2 = words(`Aarav Arjun Rohan Sanjay Vikram Rahul Amit Harjit Gurpreet Manpreet Karan Wei Jun Hao Zhiwei Ming
		Lei Jian Tao Jomar Ronaldo Jericho Rommel Arnel Chinedu Emeka Tunde Oluwaseun Ikenna Kwame Kofi Ahmad Mohammad
		Omar Khaled Samir Tarek Yousef Bilal Hamza Taras Bohdan Mykola Andriy Dmytro Oleksandr Minh Quang Tuan Duc
		Alejandro Mateo Santiago Diego João Thiago Rafael Arash Reza Dariush Abdi Abdullahi Min-jun Ji-ho Hiroshi
		Kenji Piotr Tomasz Marco Giuseppe Ibrahim Yusuf Mustafa Ali Hassan Hussein Karim Nabil Rami Walid Ziad Mehmet
		Emre Burak Yonas Dawit Tesfaye Bereket Vivek Siddharth Aditya Nikhil Jaspreet Navdeep Harman Xiang Bo Chen
		Jae-won Dong-hyun Hoang Khanh Long Carlos Javier Luis Miguel Andrés Emmanuel Chukwuemeka Segun Kojo Yaw
		Jerwin Mark-Anthony Jayson Reynaldo`)
	// Names given to either sex (and used for people whose sex is not
	// recorded as female or male).
	neutral = words(`Alex Jordan Taylor Casey Jamie Robin Sam Charlie Morgan Riley Quinn Avery Rowan Sage River Skyler
		Emerson Finley Hayden Jesse Kendall Parker Reese Remy Ash Blake Cameron Dakota Drew Eden Frankie Harley Jules
		Kai Lane Marley Noel Oakley Peyton Phoenix Rory Shay Sidney Tatum Ari Arden Bay Briar Ellis Indigo Jody
		Kerry Lennon Mackenzie Micah Nico Ocean Perry Robbie Sasha Teagan Toby Wren`)
)

// compoundFirst are first halves of hyphenated given names common in the
// province (Mary-Ellen, Sarah-Jane, John-Paul).
var (
	compoundFemale  = words(`Mary Anna Sarah Leigh Lee Lynn Rose Marie Ella Lily Anne Julie Kelly Emma Carrie`)
	compoundFemale2 = words(`Ellen Jane Anne Beth Lynn Kate Grace Rose Claire Marie Lou Jo Ann Leigh Mae Louise
		Catherine Elizabeth Margaret Dawn Lee Belle Faith Hope`)
	compoundMale  = words(`John Jean Paul Michael James Luke Mark Pierre`)
	compoundMale2 = words(`Paul Marc Luc Pierre Michael James John Patrick Thomas Joseph David Lee Ray Guy`)
)

// Surnames by origin, the most common in the province first.
var (
	surEnglish = words(`Parsons Pike Snow Noseworthy Hynes Dawe Mercer Hiscock Tucker Abbott Squires Penney Bursey
		Rideout Sheppard Strickland Warford Foote Bartlett Mouland Moores Slade Stockley Gosse Pardy Crocker Butt
		Hollett Janes Oldford Pittman Piercey Rose Rowe Saunders Smith Taylor White Young Adams Andrews Antle Ash
		Avery Ayles Baggs Bailey Baker Balsom Barbour Barnes Barrett Batstone Baxter Beck Bennett Benson Best Bishop
		Blackmore Blackwood Blundon Bond Bonnell Boone Bowering Bown Bradbury Brake Bragg Bridger Brinson Brooks
		Brown Bryant Budden Bungay Burden Burry Button Buckle Caines Canning Cant Carter Case Chaulk Chafe Cheeseman
		Chipman Clarke Clements Coates Cole Coles Collier Collins Combden Cook Cooper Coombs Cornick Cox Critch Cross
		Crewe Cuff Cull Curtis Dalley Davis Day Dean Dicks Diamond Dodge Dominie Downey Drover Duffett Durdle Dyke
		Earle Eddy Elliott Ellsworth Evans Eveleigh Faulkner Feltham Field Fifield Fillier Follett Ford Forward
		Fowler Freake French Frost Fudge Gale Gard Garland Gill Gillingham Gilbert Goodyear Gough Granter Green
		Greeley Greening Gregory Grandy Guy Hammond Hann Harding Hardy Harris Harvey Hawkins Hayward Head Hedderson
		Hefford Hewlett Hibbs Hicks Higdon Hillier Hoddinott Hodder Holloway Hoskins House Howell Hudson Humby
		Humphries Hunt Hussey Hutchings Ivany Jeans Jennings Jewer Johnson Jones Keats Keeping Kendell Kettle King
		Kirby Knee Knight Laite Lane Langdon Lawrence Layman Legge Lewis Lidstone Lilly Loder Loveless Luther Maidment
		Manuel Marsh Matthews Maynard Menchions Miles Miller Mills Mitchell Moss Mullett Newell Newhook Newman Noel
		Norman Oake Osmond Paddock Paddon Patey Payne Pearcey Pearce Peckford Pelley Percy Perry Petten Pinsent
		Porter Pottle Powell Preston Pretty Price Quinton Randell Reader Rendell Rice Ricketts Roberts Rogers Russell
		Samson Seaward Short Simms Skanes Skinner Small Snelgrove Snook Sparkes Spurrell Squibb Stacey Starkes Stead
		Stone Stoodley Stuckless Sturge Thistle Thomas Thornhill Tibbo Tilley Tizzard Toope Tulk Tuff Turner
		Tremblett Troke Vardy Vatcher Verge Vivian Walbourne Warren Watkins Way Wells West Wheeler Whiteway Whitten
		Wicks Wiseman Woodford Woodland Woolridge Wright Yetman Anstey Arnold Ball Batten Belbin Blagdon Burge Burt
		Chubbs Coish Colbourne Courage Cramm Crane Crummey Dawson Dinn Dove Drodge Emberley Ellis Feener Fisher
		Frampton Fry Gillam Goulding Greenham Hatcher Hawco Haynes Hodge Horwood Hounsell Ings Ivey Kean Kearley
		Kelloway Langor LeDrew Lethbridge Lockyer Loveys Luscombe Lush Marshall Mayo Moulton Mugford Murrin Newbury
		Nippard Northcott Oates Pack Parrott Peddle Penton Pilgrim Pomeroy Poole Randall Reccord Reid Ringer Rolls
		Rumsey Rusted Sampson Sellars Shears Sheaves Simmonds Spence Stapleton Tiller Trask Treslan Trickett Upshall
		Vey Vincent Walters Warr Watton Whiffen Whitmore Wilcox Winsor Winter Yates Anthony Attwood Ayre Bartle Bath
		Bessey Bidgood Bolt Bowden Brazil Brenton Bridle Brushett Bugden Burke Butler Carew Churchill Clarkson Cluett
		Coombes Corbin Cranford Cumby Dale Dewling Dicker Doody Dowden Dunford Eagles Efford Etheridge Evely Fancey
		Farwell Fleet Fost Fradsham Gaulton Gibbons Gibbs Gillett Glavine Goobie Goodwin Gover Grimes Haines Halfyard
		Hanham Harnum Hart Heath Hewitt Hickman Hiscott Hobbs Holwell Hopkins Howse Humber Inder Jacobs Jeffers
		Jerrett Keeler Kendall Kirkland Knott Lacey Lander Lear Lee Lodge Long Lovell Lynch Martin Meadus Minty
		Mitchelmore Morris Morrissey Mosher Munden Neville Noftall Norris Ollerhead Osbourne Paine Pardey Pelly
		Pennell Pinhorn Pitcher Pope Prowse Purchase Quirke Raymond Reynolds Roach Rodway Sacrey Scammell Seymour
		Shave Sheaffe Shiner Shirran Simmons Skiffington Spracklin Stanley Stickland Street Sutton Thorne Tobin Toms
		Tracey Trimm Vallis Vickers Wadman Warrick Weeks Whelan Whitehorne Whittle Winsor Wood Woolfrey`)
	surIrish = words(`Walsh Power Murphy Ryan Kelly Fitzgerald Kavanagh Hickey Dalton Whelan O'Brien O'Keefe O'Reilly
		Tobin Lundrigan Kennedy Doyle Dunphy Hanlon Malone Mahoney Furey Coady Aylward Barron Boland Brennan Brophy
		Buckley Byrne Cahill Callanan Carroll Casey Cleary Comerford Connolly Conway Corcoran Costello Crotty Cullen
		Curran Daly Delaney Dempsey Devereaux Dillon Doherty Dolan Donnelly Doran Duggan Dunne Egan English Fagan Fahey
		Farrell Finn Fitzpatrick Flaherty Flanagan Fleming Flynn Foley Furlong Gallagher Galway Geraghty Gleeson Grace
		Griffin Hackett Hanrahan Healey Hearn Hennessey Higgins Hogan Houlihan Hurley Joyce Keane Kearney Keating Kehoe
		Kenny Keough Kielly Kiely Kinsella Lahey Lannon Lambe Lawlor Leahy Madden Maher Maloney Manning Meaney Molloy
		Mooney Moran Mullaly Mulcahy Mullins Murray Nagle Nolan Nugent Quigley Quinlan Quinn Redmond Reilly Roche
		Rourke Scanlon Shea Sheehan Sinnott Stack Sullivan Sweeney Wadden Hanley Hennebury Cashin Coffey Cotter
		Crowley Cummins Dunn Dwyer Fewer Finlay Fitzgibbon Halleran Hartery Kenneally Linehan Lundy Mackey Mahar Meade
		Mulrooney Myrick Phelan Prendergast Purcell Rossiter Savage Skehan Stamp Tarrant Tierney Toomey Treacy Wall
		Ward Waddleton Ahearn Bambrick Barry Bolger Bowe Brady Breen Burke Cantwell Carey Carty Clancy Coleman Condon
		Cooney Cronin Cusack Deady Dee Devine Donovan Dowd Drohan Duffy Fanning Feehan Fennessy Foran Gaffney Gorman
		Hallahan Hayden Heffernan Hennessy Hyde Kane Keyes Lacy Lonergan Maddigan Mahon Meagher Mulcahey Neary Nash
		Noonan Norris O'Dea Phelps Quilty Rahilly Rooney Ruth Scully Shortall Slattery Smyth Summers Troy Twomey
		Vaughan Whalen Wyse`)
	surScots = words(`Anderson Bain Baird Blair Boyd Buchanan Cameron Campbell Chisholm Crawford Cunningham Davidson
		Douglas Drummond Duncan Dunbar Ferguson Forbes Fraser Gordon Graham Grant Gunn Hamilton Hay Henderson Hunter
		Innes Johnston Keith Kerr Kirkpatrick Lamont Lindsay Livingstone Logan Mackie Matheson Menzies Munro Ogilvie
		Paterson Rankin Robertson Ross Scott Sinclair Stewart Sutherland Urquhart Wallace Watt Carmichael Cochrane
		Dalgleish Elder Findlay Galbraith Gillies Guthrie Kincaid Laird Leslie Moffat Morrison Nicol Ramsay Ritchie
		Rutherford Shaw Strachan Thomson Tosh Weir Wylie Abernethy Aitken Allan Baxter Brodie Bruce Caird Christie
		Dewar Dunlop Erskine Fyfe Gilchrist Gray Haig Hogg Inglis Jamieson Kilpatrick Lennox Lockhart Lyall Maxwell
		Melville Muir Napier Orr Pringle Rennie Sim Stirling Tait Tulloch Waddell`)
	// Stems that take Mc or Mac (both spellings are in use for most), O'
	// and Fitz: prefixed surnames are the ones people misspell most.
	stemMac = words(`Donald Kenzie Lean Intyre Leod Kay Neil Grath Carthy Cormack Gillivray Innis Isaac Kinnon Lellan
		Millan Nab Naughton Pherson Rae Ritchie Gregor Dougall Allister Arthur Aulay Bride Cabe Cann Carroll Cluskey
		Connell Cullough Dermott Donough Elroy Evoy Ewan Fadden Farlane Gee Gill Ginn Govern Guire Hugh Inerney Keown
		Kinley Laughlin Mahon Manus Menamin Murtry Namara Nulty Phee Quaid Sween Taggart Vicar Whirter Askill Caul
		Corkindale Crae Cuish Dade Daid Ivor Kechnie Lachlan Lure Master Niven Queen`)
	stemO = words(`Brien Reilly Neill Keefe Driscoll Connell Dea Leary Rourke Toole Shea Donnell Quinn Halloran
		Mahony Hara Callaghan Connor Dwyer Flaherty Grady Hanlon Kane Keeffe Malley Neil Regan Riordan Sullivan
		Gorman Hagan Mara Meara Rielly Boyle Carroll Donovan Gara Halloran Hearn Leary Loughlin Mahoney Rahilly`)
	stemFitz  = words(`gerald patrick simmons william henry maurice hugh roy gibbon harris john allen`)
	surFrench = words(`LeBlanc Benoit Cormier Gaudet Aucoin Chaisson Jesso Félix Leroux Côté Thériault Bérubé Gallant
		Blanchard Bouchard Boudreau Bourgeois Doucette Dubé Dubois Dupuis Gauthier Gagné Gagnon Girard Hébert LaSalle
		Lainey Lavallée Leclerc Lévesque Lejeune Marche Moreau Ouellette Pelletier Poirier Richard Robichaud Rousseau
		Roy Simon Tremblay Vautier Bélanger Bouzane Chrétien Cyr Deveau Duquette Forest Fortin Gaudreau Giroux Lapointe
		Larivière Lemieux Mercier Michaud Morin Paquette Renaud Rioux Savoie St-Pierre St-Onge St-Germain St-Laurent
		Bozec Cornect Huon Kerfont Lacosta Rouzes Lemoine Marcoux Arsenault Babin Belliveau Bernier Boucher Caron
		Chiasson Comeau Daigle Després Doiron Fournier Gosselin Goguen Landry Léger Lebel Losier Maillet Martel
		Mazerolle Melanson Pothier Racine Saulnier Surette Thibodeau Vienneau`)
	surMikmaq = words(`Jeddore Joe Benoit John Drew Lambert Francis Paul Sylliboy Gould Denny Bernard Christmas Prosper
		Poulette Googoo Marshall Jeddry Matthews Pierro`)
	surInnu = words(`Rich Penashue Nui Ashini Andrew Gregoire Pokue Benuen Antuan Piwas Poker Mistenapeo Michel
		Pastitshi Katshinak Selma Napeu Nuna Pasteen Penunsi Pone Hart Jack Asta Mark`)
	surInuit = words(`Andersen Angnatok Boase Dicker Edmunds Flowers Ford Haye Ikkusek Jararuse Karpik Kojak Lampe
		Lyall Merkuratsuk Mitsuk Nochasak Obed Ontak Pamak Pijogge Saksagiak Semigak Sillett Tuglavina Tuttauk Voisey
		Webb Zarpa Shiwak Gear Ittulak Winters Kalleo Tooktoshina Onalik Kohlmeister Jacque Wolfrey Mucko Palliser
		Michelin Broomfield Goudie Baikie Mesher Learning Rumbolt Chaulk Blake Oliver Pottle Russell Campbell Dyson
		Groves Hope Martin Montague Painter Shiwak Solomon Toomashie Williams`)
	surNew = words(`Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ngo Singh Kaur Patel Sharma Kumar Gupta Reddy Rao Iyer
		Nair Menon Mehta Shah Joshi Chopra Kapoor Malhotra Sandhu Dhaliwal Grewal Sidhu Chen Wang Li Zhang Liu Yang
		Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Kim Park
		Choi Jung Kang Cho Yoon Jang Lim Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Flores Ramos Aquino
		Villanueva Castillo Rivera Gonzales Dizon Manalo Pascual Soriano Okafor Okonkwo Adeyemi Eze Nwosu Obi Okeke
		Ogunleye Balogun Mensah Osei Boateng Asante Owusu Haddad Khoury Mansour Nasser Saleh Hamdan Aziz Rahman Hussein
		Ahmed Ali Hassan Ibrahim Mohamed Abdi Warsame Farah Yusuf Khan Hussain Qureshi Malik Siddiqui Hosseini Rahimi
		Karimi Ahmadi Moradi Rezaei Tehrani Kovalenko Shevchenko Bondarenko Melnyk Kravchenko Tkachenko Boyko Lysenko
		Marchenko Savchenko Kowalski Nowak Wiśniewski Wójcik Lewandowski Kaminski Rossi Russo Ferrari Esposito Bianchi
		Romano Silva Ferreira Pereira Oliveira Costa Rodrigues Almeida Sousa Gomes Martins Lopes Hernandez Lopez
		Martinez Sanchez Ramirez Perez Gomez Diaz Morales Ortiz Gutierrez Ruiz Vargas Tanaka Suzuki Takahashi
		Watanabe Yamamoto Sato Nakamura Ivanov Petrov Smirnov Volkov Popescu Ionescu Novak Horvat Kovacs Nagy Müller
		Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Jansen DeVries Andersson Johansson Larsen Nielsen
		Hansen Olsen Lund Kaya Yilmaz Demir Celik Sahin Ozturk Tesfaye Haile Bekele Girma Tadesse Mekonnen Kiros
		Ghebre Desta Abebe Al-Hassan Al-Khatib Abu-Zeid El-Sayed Chowdhury Islam Hossain Begum Das Bose Banerjee
		Mukherjee Pillai Thomas Varghese Joseph Mathew Kurian Abraham Fernandes DSouza Pinto Gonsalves Tsang Wong
		Chan Leung Cheung Lau Ng Ho Yip Kwan Fung`)
)

// nicknames maps given names to the short forms families put on posters
// ("Bill", "Peggy"); the generator uses them for aliases and the query
// list for the nickname searches people type.
var nicknames = map[string][]string{
	"William": {"Bill", "Billy", "Will", "Willie"}, "Robert": {"Bob", "Bobby", "Rob", "Robbie"},
	"Richard": {"Dick", "Rick", "Richie"}, "Margaret": {"Peggy", "Maggie", "Marg", "Meg"},
	"Katherine": {"Kate", "Katie", "Kathy", "Kay"}, "Catherine": {"Cathy", "Kate", "Katie", "Cate"},
	"Kathleen": {"Kathy", "Kay", "Kath"}, "Elizabeth": {"Liz", "Lizzie", "Beth", "Betty", "Libby"},
	"John": {"Jack", "Johnny"}, "James": {"Jim", "Jimmy", "Jamie"}, "Michael": {"Mike", "Mickey", "Mick"},
	"Patrick": {"Pat", "Paddy"}, "Joseph": {"Joe", "Joey"}, "Thomas": {"Tom", "Tommy"},
	"Edward": {"Ed", "Eddie", "Ted", "Ned"}, "Charles": {"Charlie", "Chuck"}, "Frederick": {"Fred", "Freddie"},
	"Albert": {"Al", "Bert"}, "Alfred": {"Alf", "Fred"}, "Anthony": {"Tony"}, "Benjamin": {"Ben", "Benny"},
	"Christopher": {"Chris", "Kit"}, "Daniel": {"Dan", "Danny"}, "David": {"Dave", "Davey"},
	"Francis": {"Frank"}, "Gerald": {"Gerry"}, "Gregory": {"Greg"}, "Harold": {"Harry", "Hal"},
	"Henry": {"Harry", "Hank"}, "Jeffrey": {"Jeff"}, "Jonathan": {"Jon"}, "Kenneth": {"Ken", "Kenny"},
	"Lawrence": {"Larry"}, "Leonard": {"Len", "Lenny"}, "Matthew": {"Matt"}, "Nicholas": {"Nick"},
	"Patricia": {"Pat", "Patsy", "Trish"}, "Peter": {"Pete"}, "Raymond": {"Ray"}, "Ronald": {"Ron", "Ronnie"},
	"Samuel": {"Sam", "Sammy"}, "Stephen": {"Steve"}, "Steven": {"Steve"}, "Timothy": {"Tim"},
	"Walter": {"Wally"}, "Alexander": {"Alex", "Sandy"}, "Andrew": {"Andy", "Drew"},
	"Barbara": {"Barb"}, "Bridget": {"Bride", "Biddy"}, "Deborah": {"Debbie", "Deb"}, "Dorothy": {"Dot", "Dottie"},
	"Florence": {"Flo"}, "Frances": {"Fran", "Frankie"}, "Helen": {"Nell", "Nellie"}, "Jennifer": {"Jen", "Jenny"},
	"Jessica": {"Jess", "Jessie"}, "Josephine": {"Jo", "Josie"}, "Mary": {"Molly", "Mamie"},
	"Rebecca": {"Becky"}, "Susan": {"Sue", "Susie"}, "Theresa": {"Tess", "Terry"}, "Victoria": {"Vicky"},
	"Virginia": {"Ginny"}, "Winnifred": {"Winnie"}, "Agnes": {"Aggie"}, "Abigail": {"Abby"},
	"Samantha": {"Sam"}, "Alexandra": {"Alex", "Sasha"}, "Christina": {"Chrissy", "Tina"},
	"Christine": {"Chris", "Chrissy"}, "Jacqueline": {"Jackie"}, "Madeline": {"Maddie"}, "Madison": {"Maddy"},
	"Mackenzie": {"Kenzie"}, "Natalie": {"Nat"}, "Nathan": {"Nate"}, "Nathaniel": {"Nate", "Nat"},
	"Zachary": {"Zach", "Zack"}, "Joshua": {"Josh"}, "Jacob": {"Jake"}, "Benedict": {"Ben"},
	"Cornelius": {"Neil", "Con"}, "Ignatius": {"Iggy"}, "Aloysius": {"Wish", "Al"}, "Alphonsus": {"Phonse"},
	"Bernadette": {"Bernie"}, "Bernard": {"Bernie", "Barney"}, "Sylvester": {"Syl"},
	"Gertrude": {"Gertie", "Trudy"}, "Wilfred": {"Wilf", "Fred"}, "Reginald": {"Reg", "Reggie"},
	"Theodore": {"Ted", "Teddy", "Theo"}, "Cyril": {"Cy"}, "Clarence": {"Clary"}, "Augustus": {"Gus"},
	"Priscilla": {"Cilla"}, "Philomena": {"Phil", "Mena"}, "Veronica": {"Ronnie"}, "Geraldine": {"Gerry"},
	"Seán": {"Shaun"}, "Pádraig": {"Paddy"}, "Siobhán": {"Shiv"}, "Jean-Pierre": {"JP"}, "Jean-Luc": {"Luc"},
	"François": {"Frank", "Franky"}, "Stéphane": {"Steph"}, "Stephanie": {"Steph"}, "Kimberly": {"Kim"},
	"Nicole": {"Nikki"},
}

// altGiven lists other spellings in common use for a given name; the
// generator swaps some names for them, and the search has to find both.
var altGiven = map[string][]string{
	"Catherine": {"Katherine", "Kathryn", "Cathryn"}, "Katherine": {"Catherine", "Kathryn"},
	"Kathleen": {"Cathleen"}, "Caitlin": {"Kaitlyn", "Katelyn", "Caitlyn"}, "Kaitlyn": {"Caitlin", "Katelyn"},
	"Kaylee": {"Kayleigh", "Kailey", "Caylee"}, "Hailey": {"Haley", "Hayley", "Haleigh"}, "Ashley": {"Ashleigh"},
	"Brayden": {"Braden", "Braiden", "Braydon"}, "Jayden": {"Jaden", "Jaiden", "Jaydon"}, "Aiden": {"Aidan", "Ayden"},
	"Madison": {"Madisyn", "Maddison"}, "Madelyn": {"Madeline", "Madalyn"}, "Madeline": {"Madeleine", "Madelyn"},
	"Jocelyn": {"Joselyn"}, "Sophia": {"Sofia"}, "Sophie": {"Sofie"}, "Stephen": {"Steven"}, "Steven": {"Stephen"},
	"Stephanie": {"Stefanie"}, "Philip": {"Phillip"}, "Matthew": {"Mathew"}, "Allan": {"Alan", "Allen"},
	"Alan": {"Allan", "Allen"}, "Brian": {"Bryan"}, "Jeffrey": {"Jeffery", "Geoffrey"}, "Sean": {"Shawn", "Shaun"},
	"Shawn": {"Sean", "Shaun"}, "Carl": {"Karl"}, "Christopher": {"Kristopher"}, "Christina": {"Kristina"},
	"Christine": {"Kristine"}, "Kristen": {"Kristin", "Kirsten"}, "Krista": {"Christa"}, "Crystal": {"Krystal"},
	"Cody": {"Kody"}, "Carter": {"Karter"}, "Cameron": {"Kameron"}, "Colton": {"Kolton"}, "Corey": {"Cory", "Kory"},
	"Connor": {"Conor"}, "Kayla": {"Cayla"}, "Kelly": {"Kelley"}, "Tracy": {"Tracey"}, "Stacey": {"Stacy"},
	"Lindsay": {"Lindsey"}, "Ann": {"Anne"}, "Lynn": {"Lynne"}, "Sarah": {"Sara"}, "Hannah": {"Hanna"},
	"Rebecca": {"Rebekah"}, "Isabella": {"Izabella"}, "Isabelle": {"Isabel"}, "Zoe": {"Zoey", "Zoë"},
	"Chloe": {"Chloé"}, "Leah": {"Lea"}, "Mackenzie": {"McKenzie", "Makenzie"}, "Jaxon": {"Jaxson"},
	"Jackson": {"Jaxson"}, "Grayson": {"Greyson"}, "Eric": {"Erik"}, "Marc": {"Mark"}, "Nicholas": {"Nicolas"},
	"Rachel": {"Rachael"}, "Shelley": {"Shelly"}, "Holly": {"Hollie"}, "Ellie": {"Elly"}, "Brittany": {"Brittney"},
	"Courtney": {"Kourtney"}, "Jillian": {"Gillian"}, "Gillian": {"Jillian"}, "Kerri": {"Kerry"}, "Jodi": {"Jodie"},
	"Lori": {"Laurie"}, "Deborah": {"Debra"}, "Marilyn": {"Marilynn"}, "Carolyn": {"Caroline"}, "Katie": {"Katy"},
	"Aubrey": {"Aubree", "Aubrie"}, "Avery": {"Averie"}, "Riley": {"Rylee", "Ryleigh"}, "Payton": {"Peyton"},
	"Kaiden": {"Kayden", "Caden"}, "Emmett": {"Emmet"}, "Everly": {"Everleigh"}, "Elliot": {"Elliott"},
	"Teagan": {"Tegan"}, "Jasmine": {"Jasmin", "Jazmine"}, "Evelyn": {"Evelynn"}, "Leslie": {"Lesley"},
	"Lacey": {"Lacy"}, "Bridget": {"Brigid"}, "Theresa": {"Teresa"}, "Teresa": {"Theresa"}, "Frances": {"Francis"},
	"Winnifred": {"Winifred"}, "Marjorie": {"Margery"}, "Eileen": {"Aileen"}, "Maureen": {"Maurine"},
	"Geraldine": {"Jeraldine"}, "Loretta": {"Lauretta"}, "Doreen": {"Dorine"}, "Vivian": {"Vivien"},
	"Gerald": {"Gerrald"}, "Frederick": {"Frederic"}, "Lawrence": {"Laurence"}, "Dennis": {"Denis"},
	"Terence": {"Terrence"}, "Jon": {"John"}, "Kenneth": {"Kennith"}, "Roland": {"Rolland"}, "Lloyd": {"Loyd"},
	"Neil": {"Neal"}, "Graham": {"Graeme"}, "Glen": {"Glenn"}, "Glenn": {"Glen"}, "Wade": {"Wayde"},
	"Derek": {"Derrick", "Derrek"}, "Darryl": {"Daryl", "Darrell"}, "Dwayne": {"Duane"}, "Jamie": {"Jaime", "Jamey"},
	"Jeremy": {"Jeremie"}, "Tyler": {"Tylor"}, "Devin": {"Devon"}, "Dustin": {"Dustyn"}, "Kristopher": {"Christopher"},
	"Zachary": {"Zackary", "Zachery"}, "Isaac": {"Issac"}, "Owen": {"Owain"}, "Levi": {"Levy"}, "Rhys": {"Reece"},
	"Nolan": {"Nolen"}, "Brody": {"Brodie"}, "Caleb": {"Kaleb"}, "Kaleb": {"Caleb"}, "Colby": {"Kolby"},
}

// altSurname lists spellings of the same surname that families in the
// province really use.
var altSurname = map[string][]string{
	"Penney": {"Penny"}, "Pardy": {"Pardey"}, "Piercey": {"Piercy", "Pearcey"}, "Pike": {"Pyke"}, "Hynes": {"Hines"},
	"Reid": {"Reed", "Read"}, "Dawe": {"Daw", "Dawes"}, "Rideout": {"Ridout"}, "Noseworthy": {"Nosworthy"},
	"Coady": {"Cody"}, "Kielly": {"Kiely"}, "Maher": {"Meagher", "Mahar"}, "Mahar": {"Maher"}, "Whelan": {"Whalen"},
	"Clarke": {"Clark"}, "Brown": {"Browne"}, "Green": {"Greene"}, "Tracey": {"Tracy"}, "Healey": {"Healy"},
	"Hennessey": {"Hennessy"}, "Smith": {"Smyth"}, "Kavanagh": {"Cavanagh"}, "Keough": {"Keogh", "Kehoe"},
	"Lundrigan": {"Landrigan"}, "Mullaly": {"Mullally", "Mulally"}, "Walsh": {"Welsh"}, "Doherty": {"Dougherty"},
	"Gosse": {"Goss"}, "Squires": {"Squire"}, "Moores": {"Moore"}, "Mackey": {"Mackie"}, "Finlay": {"Findlay"},
	"Hearn": {"Hearne"}, "Keane": {"Kean"}, "Kean": {"Keane"}, "Lahey": {"Leahy"}, "Leahy": {"Lahey"},
	"Whiffen": {"Whiffin"}, "Sheppard": {"Shepherd", "Shepard"}, "Simms": {"Sims"}, "Seaward": {"Seward"},
	"Roach": {"Roche"}, "Roche": {"Roach"}, "Cheeseman": {"Cheesman"}, "Hollett": {"Hollet"}, "Doucette": {"Doucet"},
	"Chaisson": {"Chiasson"}, "Thibodeau": {"Thibodeaux"}, "LeBlanc": {"Leblanc"}, "LeDrew": {"Ledrew"},
	"Ouellette": {"Ouellet"}, "Boudreau": {"Boudreault"}, "Gaudet": {"Gaudette"}, "Leroux": {"LeRoux"},
	"Benoit": {"Benoît"}, "Dunphy": {"Dumphy"}, "Fitzgerald": {"FitzGerald"},
	"Stacey": {"Stacy"}, "Snook": {"Snooks"}, "Kelly": {"Kelley"}, "Murphy": {"Murphey"},
	"Gough":  {"Goff"},
	"Dalton": {"Daulton"}, "Byrne": {"Byrnes"}, "Hanlon": {"Hanlan"},
	"Pelley": {"Pelly"}, "Pelly": {"Pelley"}, "Pearce": {"Pierce", "Pearse"}, "Quinton": {"Quintin"},
	"Randell": {"Randall", "Rendell"}, "Rendell": {"Randell"}, "Rowe": {"Roe"},
	"Sparkes": {"Sparks"}, "Vivian": {"Vivien"}, "Yetman": {"Yeatman"},
}
