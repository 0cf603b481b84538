-- The schuldhulpverlening (SHV) service of each supplier of the programme: xxllnc and BKR
-- offer both streams (DESIGN.md §1), and a delivery, a consent's pull and a supplier's phase
-- are kept per service. Each starts at 'aangemeld', as the VS services did.
INSERT INTO leverancier_diensten (leverancier_id, stroom) VALUES ('xxllnc', 'SHV'), ('bkr', 'SHV')
ON CONFLICT (leverancier_id, stroom) DO NOTHING;
