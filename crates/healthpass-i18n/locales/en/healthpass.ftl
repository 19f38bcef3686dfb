# healthpass messages: English (en).
# Edit the text after `=`; keep every `{ $placeholder }` and the message ids (docs/I18N.md).


## Colours: the word on the card's band and in every sentence

colour-green = green
colour-yellow = yellow
colour-orange = orange
colour-red = red

## Reasons (the stable reason codes of docs/FORMAT.md)

reason-negative_test = a recent test was negative
reason-positive_test = a test was positive
reason-close_contact = close contact with a confirmed case
reason-risk_area_visit = a recent stay in a designated risk area
reason-quarantine_completed = the quarantine period was completed
reason-fever_at_check = a fever was measured at a check
reason-self_reported_symptoms = symptoms were self-reported
reason-vaccinated = vaccinated
reason-officer_decision = a manual decision by an authorised officer
reason-recovered = recovered from a confirmed infection
reason-in_quarantine = quarantine is in force
reason-incomplete_reports = daily health reports are missing or incomplete
reason-normal_reports = daily health reports are complete and normal
reason-converted_code = converted from a verified code of another region

## Evidence

test-nucleic_acid = nucleic acid test
test-antigen = antigen test
test-antibody = antibody test
outcome-negative = negative
outcome-positive = positive
outcome-inconclusive = inconclusive
evidence-test = { $kind }: { $result }, sampled { $at }
evidence-vaccination = vaccination { $product } dose { $dose } of { $doses } on { $date }
evidence-temperature = temperature { $celsius } °C at { $at }
evidence-stay-until = stay in { $region } from { $from } to { $until }
evidence-stay-since = stay in { $region } since { $from }
evidence-resident = resident of { $region }
evidence-decision = decision by officer { $officer } on { $at }: { $basis }

## Explaining a code

explain-colour = This code is { $colour }.
explain-valid = Valid from { $from } until { $until }.
explain-why = Why:
explain-evidence = Evidence in the code:
explain-nothing-needed = Nothing is needed: the code is green.
explain-to-green = What would turn it green:

## What would turn a code green

step-wait-quarantine = wait until the quarantine period ends on { $until }
step-negative-tests = have { $needed } consecutive negative tests at least { $hours } hours apart after the positive test ({ $count } so far)
step-wait-contact = wait until { $until } ({ $days } days after the close contact); then a new code can be issued
step-wait-risk-area = wait until { $until } ({ $days } days after the last day in a risk area); then a new code can be issued
step-negative-after-fever = have a negative test sampled after the fever reading of { $at }
step-wait-code-end = wait until this code ends on { $until }; if nothing new is known by then, a new code can be green
step-send-reports = send every daily health report, with normal readings
step-negative-no-symptoms = have a negative test and report no symptoms
step-ask-issuer = ask the issuer: this code's evidence does not show what would change it

## Why did my code change colour? (explain with several codes)

change-heading = From { $before } to { $after }:
change-colour = the colour changed from { $from } to { $to }
change-same-colour = the colour stayed { $colour }
change-reason-added = new reason: { $reason }
change-reason-removed = no longer a reason: { $reason }
change-evidence-added = new evidence: { $fact }
change-evidence-removed = evidence no longer in the code: { $fact }
change-nothing = nothing in the codes changed but their dates
change-not-same-person = these codes are not of the same person

## Cards

card-name = Name: { $name }
card-no-name = (not on the code)
card-carried-by = Carried by: { $relation } { $name }
card-issuer = Issuer: { $issuer }
card-valid-from = Valid from { $at }
card-valid-until = Valid until { $at }
relation-parent = parent
relation-child = child
relation-spouse = spouse
relation-family = family member
relation-guardian = guardian
relation-carer = carer

## Command-line lines

verify-valid = VALID { $colour } code from { $issuer }, valid until { $until }: { $reasons }
verify-refused = REFUSED: { $why }
status-unverified = UNVERIFIED: no keys given (--keys or --demo-key), so the signature was NOT checked
status-verified = VERIFIED: signature, key and validity checked
status-not-verified = NOT VERIFIED: { $why }
school-issued = { $colour } student code for { $day }, class { $class }, valid until { $until }: { $reasons }
list-separator = { "; " }

## Checkpoint verdicts

verdict-accepted = ACCEPTED
verdict-refused = REFUSED
verdict-summary = { $colour } { $kind } code from { $issuer }, valid until { $until }
verdict-finding = [{ $code }] { $message }
verdict-warning = warning [{ $code }] { $message }
kind-personal = personal
kind-student = student
kind-cross_border = cross-border
kind-venue = venue

## A teacher's class summary

summary-heading = { $school }, class { $class }, { $day }:
summary-green = green: { $count }
summary-not-green = NOT GREEN: { $name } ({ $colour }: { $reasons })
summary-missing = MISSING: { $name } (no code for today)
summary-others = codes of others (not on this class list): { $count }

## Refusals, by stable code (the code itself never changes with the language)

refusal-prefix = the text is not a health code of this kind (wrong prefix)
refusal-base45 = the code's text is damaged (base45)
refusal-too_large = the code is larger than allowed
refusal-decompress = the code's data is damaged (decompression)
refusal-body = the code's data is not a signed health code
refusal-cbor = the code's data is malformed
refusal-trailing_bytes = the code has extra data after its end
refusal-duplicate_key = the code's data holds a field twice
refusal-claims = the code's contents are invalid
refusal-missing_alg = the code does not say how it was signed
refusal-unsupported_alg = the code is signed with an algorithm not accepted here
refusal-missing_kid = the code does not name its signing key
refusal-unknown_kid = the code was signed with a key that is not trusted here
refusal-bad_signature = the signature is invalid: the code may be forged or altered
refusal-expired = the code has expired
refusal-not_yet_valid = the code is not valid yet
refusal-issued_in_future = the code says it was issued in the future
refusal-issuer_mismatch = the code's issuer does not match its key
refusal-no_code = no code was found
refusal-image = the image could not be read
refusal-qr = the QR code could not be made or read
refusal-key = a key is invalid
refusal-io = a file could not be read or written
refusal-random = no random numbers were available
refusal-out_of_scope = the issuer may not sign this kind of code
refusal-revoked = the code or its key has been revoked
refusal-clock_rollback = this device's clock went back: the time cannot be trusted
refusal-list_rollback = an older trust or revocation list was offered than the one held
refusal-list = the trust or revocation list is invalid
refusal-unknown_anchor = the list is not signed by a trusted authority
refusal-stale_list = the trust or revocation list is out of date
refusal-policy = the policy is invalid
refusal-key_not_valid = the signing key was not valid when the code was issued
refusal-foreign = the foreign certificate could not be verified
refusal-key_usage = the key may not sign this kind of certificate
refusal-untrusted_issuer = the issuer is not trusted
refusal-scenario = the request could not be carried out
refusal-evidence_in_future = the code holds evidence dated in the future
refusal-issuer_country_mismatch = the certificate's country does not match its issuer
refusal-poster_superseded = a newer poster of this venue has been scanned; the newest governs
refusal-signed_in_future = the list says it was signed in the future
refusal-untrusted_key = the key that verified the code is not the trusted one
refusal-scanner_state = this scanner's saved state is damaged
refusal-secret_key_exists = a secret key file would have been overwritten
refusal-time_out_of_range = a time is out of range
refusal-no_tests = no test files were found
refusal-colour_not_accepted = this colour is not accepted here
refusal-kind_not_accepted = this kind of code is not accepted here
refusal-issuer_not_accepted = codes from this issuer are not recognised here
refusal-issuer_denied = codes from this issuer are refused here
refusal-no_negative_test = a recent negative test is required
refusal-test_not_negative = the latest test is not negative
refusal-test_too_old = the latest negative test is too old
refusal-code_too_old = the code was issued too long ago
refusal-too_few_doses = not enough vaccination doses
refusal-no_temperature = the code holds no temperature reading
refusal-temperature_too_high = the temperature reading is too high
refusal-not_logged = the code is not in the decision log
refusal-list_past_next_update = the trust list is past its next update


## Verdict lines of the command line (`verify`, `venue check`, `school summary`, `wallet list`)

verdict-no-code = NO CODE
verdict-unverified = UNVERIFIED
report-code = { $kind } code from { $issuer }
report-code-format = { $kind } code ({ $format }) from { $issuer }
report-valid-until = , valid until { $until }
report-name = , { $name }
report-refused-count = { $refused } of { $total ->
        [one] 1 code
       *[other] { $total } codes
    } refused or without a code

## Reading a code without checking it

decode-unverified = UNVERIFIED: the signature and validity of this code have NOT been checked
card-unverified = UNVERIFIED: signature NOT checked

## Wallets: whose code it is

whose-subject = code of { $name }
whose-no-name = (name not on the code)
whose-carried-by = carried by { $holder } (the subject's { $relation })
whose-carried-by-relation = carried by the subject's { $relation }
whose-self = carried by the person themself
whose-line = { $subject }, { $carried }
wallet-line = { $label }: { $colour } { $kind }, { $whose }, valid until { $until } [{ $status }]
wallet-verified = verified
wallet-unverified = unverified
wallet-not-verified = NOT VERIFIED
wallet-show = { $whose } (unverified)

## Border conversion and venues

convert-done = converted a { $format } code from { $source } (sha256 { $hash }) into a { $colour } cross-border code from { $issuer }, valid until { $until }
venue-issued = venue code for { $venue }, valid until { $until }
venue-no-name = (no name)
venue-verified = VENUE VERIFIED: { $venue }
venue-verified-policy = VENUE VERIFIED: { $venue }, policy { $policy }
venue-checkin = check-in recorded in { $file } ({ $count } kept, on this device only)

## Refusals and warnings of the command line, by stable code

refusal-unverified = no keys given: the signature was NOT checked
refusal-no_policy = accepted as authentic whatever its colour: give --policy FILE or --green-only to refuse codes that are not green
refusal-venue_refused = the venue's code was refused
refusal-shc_chunk_missing = a chunk of the SMART Health Card split over several QR codes is missing
refusal-shc_chunk_repeated = a chunk of the SMART Health Card split over several QR codes was given twice
refusal-shc_chunks_inconsistent = the chunks of the SMART Health Card split over several QR codes disagree on their numbers
refusal-policy_not_met = the source code does not meet the conversion policy
refusal-csca_untrusted = the certificate's signer is not trusted by a country signing authority
refusal-rules = the EU DCC business rules could not be applied
refusal-rule_failed = refused by the arrival country's EU DCC business rules
refusal-rule_open = a business rule of the arrival country could not be decided

## Errors and usage errors (`--help` itself is in English)

error-line = error: { $detail }
usage-unknown-argument = unexpected argument { $arg }
usage-invalid-value = invalid value { $value } for { $arg }
usage-missing-argument = a required argument is missing: { $arg }
usage-unknown-command = unrecognised command { $command }
usage-conflict = { $arg } cannot be used with { $other }
usage-missing-command = a command is required
usage-invalid = the command line is not valid ({ $detail })
usage-usage = Usage: { $usage }
usage-try-help = For more information, try '--help'.
usage-card-output = give --png FILE and/or --svg FILE

## More lines of the command line

trust-unverified = UNVERIFIED: no --anchor given, so the signature has NOT been checked
cli-wrote = wrote { $file }
explain-not-verified = the code did not verify
card-not-made = the code did not verify; no card was made
wallet-added = added { $label } to { $file } ({ $count ->
        [one] 1 code
       *[other] { $count } codes
    })
wallet-removed = removed { $label }
wallet-empty = { $file } holds no codes
wallet-failed = { $count ->
        [one] 1 code
       *[other] { $count } codes
    } did not verify
school-problems = { $missing } missing, { $not_green } not green, { $count ->
        [one] 1 code
       *[other] { $count } codes
    } refused

## healthpass history: the holder's own decisions in the log
history-header = { $count ->
        [one] 1 decision about you in { $size } entries (each proven included in the checkpoint)
       *[other] { $count } decisions about you in { $size } entries (each proven included in the checkpoint)
    }
history-line = { $time }  { $colour }  { $reasons }  by { $issuer } ({ $actor })  entry { $index }
history-no-reason = no reason given
history-officer = officer { $id }
history-rule = rule { $id }
