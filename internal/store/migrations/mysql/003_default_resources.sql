-- The default help resources (editable by admins afterwards). Only numbers
-- and addresses we are sure of; police non-emergency lines are left for the
-- operator to add.
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Emergency: police, fire, ambulance', 'emergency', '911', '', 'Call 911 if someone is in danger now, or if you see a missing person right now.', 0);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Crime Stoppers', 'police', '1-800-222-8477', '', 'Give information anonymously. You never have to say who you are.', 1);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('811 HealthLine', 'health and crisis lines', '811', '', 'Newfoundland and Labrador''s health line: talk to a registered nurse, any time of day.', 2);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Kids Help Phone', 'health and crisis lines', '1-800-668-6868', 'https://kidshelpphone.ca', 'Free, confidential support for young people, any time of day.', 3);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Canada''s Missing', 'family support', '', 'https://www.canadasmissing.ca', 'The national centre for missing persons and unidentified remains: national cases and help for families.', 4);
