-- More default help resources (issue 13): the two police services' non-
-- emergency lines, volunteer ground search and rescue, a provincial crisis
-- line and support for families of missing children. Admins edit or remove
-- them like any other resource; an install whose admins already added their
-- own keeps those too (these are only added).
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Royal Newfoundland Constabulary (non-emergency)', 'police', '709-729-8000', 'https://www.rnc.gov.nl.ca', 'To report a missing person or give information when no one is in danger, in areas the RNC polices: the St. John''s metro area, Corner Brook, Labrador City, Wabush and Churchill Falls.', 5);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('RCMP in Newfoundland and Labrador (non-emergency)', 'police', '1-800-709-7267', '', 'To report a missing person or give information when no one is in danger, everywhere else in the province. You can also call your local detachment.', 6);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Ground search and rescue volunteers', 'search and rescue', '', '', 'Volunteer ground search and rescue teams across the province search at the request of police. Report a missing person to police first: they call out the teams. To volunteer, contact the team nearest you.', 7);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('Provincial Mental Health Crisis Line', 'health and crisis lines', '1-888-737-4668', '', 'Support for anyone in emotional distress, including families waiting for news, any time of day.', 8);
INSERT INTO resources (title, category, phone, url, description, position) VALUES
('missingkids.ca (Canadian Centre for Child Protection)', 'family support', '1-866-543-8477', 'https://missingkids.ca', 'Help for families of missing children: support, and sharing a child''s case across Canada.', 9);
