-- How the supplier signed the pages of an attempt: the KP-APIs reading (the digest signed,
-- sigD) or the body itself (RFC 7515 Appendix F); 'gemengd' when the pages of one pull differed.
ALTER TABLE levering_pogingen
    ADD COLUMN ondertekening text CHECK (ondertekening IN ('kp-apis', 'body', 'gemengd'));
