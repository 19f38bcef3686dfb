# healthpass messages: Portuguese (pt).
# Edit the text after `=`; keep every `{ $placeholder }` and the message ids (docs/I18N.md).


## Colours: the word on the card's band and in every sentence

colour-green = verde
colour-yellow = amarelo
colour-orange = laranja
colour-red = vermelho

## Reasons (the stable reason codes of docs/FORMAT.md)

reason-negative_test = um teste recente deu negativo
reason-positive_test = um teste deu positivo
reason-close_contact = contacto próximo com um caso confirmado
reason-risk_area_visit = estadia recente numa zona de risco designada
reason-quarantine_completed = o período de quarentena foi cumprido
reason-fever_at_check = foi medida febre num controlo
reason-self_reported_symptoms = foram declarados sintomas
reason-vaccinated = vacinado
reason-officer_decision = decisão manual de um agente autorizado
reason-recovered = recuperado de uma infeção confirmada
reason-in_quarantine = em quarentena
reason-incomplete_reports = faltam declarações diárias de saúde ou estão incompletas
reason-normal_reports = as declarações diárias de saúde estão completas e normais
reason-converted_code = convertido de um código verificado de outra região

## Evidence

test-nucleic_acid = teste de ácido nucleico
test-antigen = teste de antigénio
test-antibody = teste de anticorpos
outcome-negative = negativo
outcome-positive = positivo
outcome-inconclusive = inconclusivo
evidence-test = { $kind }: { $result }, colheita em { $at }
evidence-vaccination = vacinação { $product }, dose { $dose } de { $doses }, em { $date }
evidence-temperature = temperatura { $celsius } °C em { $at }
evidence-stay-until = estadia em { $region } de { $from } a { $until }
evidence-stay-since = estadia em { $region } desde { $from }
evidence-resident = residente em { $region }
evidence-decision = decisão do agente { $officer } em { $at }: { $basis }

## Explaining a code

explain-colour = Este código é { $colour }.
explain-valid = Válido de { $from } até { $until }.
explain-why = Porquê:
explain-evidence = Provas no código:
explain-nothing-needed = Nada é necessário: o código é verde.
explain-to-green = O que o tornaria verde:

## What would turn a code green

step-wait-quarantine = esperar pelo fim da quarentena em { $until }
step-negative-tests = fazer { $needed } testes negativos seguidos, com pelo menos { $hours } horas de intervalo, após o teste positivo ({ $count } até agora)
step-wait-contact = esperar até { $until } ({ $days } dias após o contacto próximo); depois pode ser emitido um novo código
step-wait-risk-area = esperar até { $until } ({ $days } dias após o último dia numa zona de risco); depois pode ser emitido um novo código
step-negative-after-fever = fazer um teste negativo colhido após a medição de febre de { $at }
step-wait-code-end = esperar pelo fim deste código em { $until }; se nada de novo se souber até lá, um novo código pode ser verde
step-send-reports = enviar todas as declarações diárias de saúde, com valores normais
step-negative-no-symptoms = fazer um teste negativo e não declarar sintomas
step-ask-issuer = pergunte ao emissor: as provas deste código não mostram o que o mudaria

## Why did my code change colour? (explain with several codes)

change-heading = De { $before } a { $after }:
change-colour = a cor mudou de { $from } para { $to }
change-same-colour = a cor continua { $colour }
change-reason-added = nova razão: { $reason }
change-reason-removed = deixou de ser razão: { $reason }
change-evidence-added = nova prova: { $fact }
change-evidence-removed = prova que já não está no código: { $fact }
change-nothing = nada mudou nos códigos além das datas
change-not-same-person = estes códigos não são da mesma pessoa

## Cards

card-name = Nome: { $name }
card-no-name = (não consta do código)
card-carried-by = Apresentado por: { $relation } { $name }
card-issuer = Emissor: { $issuer }
card-valid-from = Válido desde { $at }
card-valid-until = Válido até { $at }
relation-parent = pai ou mãe
relation-child = filho ou filha
relation-spouse = cônjuge
relation-family = familiar
relation-guardian = tutor
relation-carer = cuidador

## Command-line lines

verify-valid = VÁLIDO: código { $colour } de { $issuer }, válido até { $until }: { $reasons }
verify-refused = RECUSADO: { $why }
status-unverified = NÃO VERIFICADO: sem chaves (--keys ou --demo-key), a assinatura NÃO foi verificada
status-verified = VERIFICADO: assinatura, chave e validade verificadas
status-not-verified = VERIFICAÇÃO FALHOU: { $why }
school-issued = código de aluno { $colour } para { $day }, turma { $class }, válido até { $until }: { $reasons }
list-separator = { "; " }

## Checkpoint verdicts

verdict-accepted = ACEITE
verdict-refused = RECUSADO
verdict-summary = código { $kind } { $colour } de { $issuer }, válido até { $until }
verdict-finding = [{ $code }] { $message }
verdict-warning = aviso [{ $code }] { $message }
kind-personal = pessoal
kind-student = de aluno
kind-cross_border = transfronteiriço
kind-venue = de local

## A teacher's class summary

summary-heading = { $school }, turma { $class }, { $day }:
summary-green = verdes: { $count }
summary-not-green = NÃO VERDE: { $name } ({ $colour }: { $reasons })
summary-missing = EM FALTA: { $name } (sem código para hoje)
summary-others = códigos de outros (fora desta turma): { $count }

## Refusals, by stable code (the code itself never changes with the language)

refusal-prefix = o texto não é um código de saúde deste tipo (prefixo errado)
refusal-base45 = o texto do código está danificado (base45)
refusal-too_large = o código é maior do que o permitido
refusal-decompress = os dados do código estão danificados (descompressão)
refusal-body = os dados do código não são um código de saúde assinado
refusal-cbor = os dados do código estão mal formados
refusal-trailing_bytes = o código tem dados a mais depois do fim
refusal-duplicate_key = os dados do código têm um campo repetido
refusal-claims = o conteúdo do código é inválido
refusal-missing_alg = o código não indica como foi assinado
refusal-unsupported_alg = o código está assinado com um algoritmo não aceite aqui
refusal-missing_kid = o código não indica a sua chave de assinatura
refusal-unknown_kid = o código foi assinado com uma chave que não é de confiança aqui
refusal-bad_signature = a assinatura é inválida: o código pode ter sido falsificado ou alterado
refusal-expired = o código expirou
refusal-not_yet_valid = o código ainda não é válido
refusal-issued_in_future = o código diz ter sido emitido no futuro
refusal-issuer_mismatch = o emissor do código não corresponde à sua chave
refusal-no_code = não foi encontrado nenhum código
refusal-image = não foi possível ler a imagem
refusal-qr = não foi possível criar ou ler o código QR
refusal-key = uma chave é inválida
refusal-io = não foi possível ler ou escrever um ficheiro
refusal-random = não havia números aleatórios disponíveis
refusal-out_of_scope = o emissor não pode assinar este tipo de código
refusal-revoked = o código ou a sua chave foi revogado
refusal-clock_rollback = o relógio deste aparelho recuou: a hora não é fiável
refusal-list_rollback = foi apresentada uma lista de confiança ou de revogação mais antiga do que a atual
refusal-list = a lista de confiança ou de revogação é inválida
refusal-unknown_anchor = a lista não está assinada por uma autoridade de confiança
refusal-stale_list = a lista de confiança ou de revogação está desatualizada
refusal-policy = a política é inválida
refusal-key_not_valid = a chave de assinatura não era válida quando o código foi emitido
refusal-foreign = não foi possível verificar o certificado estrangeiro
refusal-key_usage = a chave não pode assinar este tipo de certificado
refusal-untrusted_issuer = o emissor não é de confiança
refusal-scenario = não foi possível realizar o pedido
refusal-evidence_in_future = o código contém provas com data futura
refusal-issuer_country_mismatch = o país do certificado não corresponde ao emissor
refusal-poster_superseded = já foi lido um cartaz mais recente deste local; vale o mais recente
refusal-signed_in_future = a lista diz ter sido assinada no futuro
refusal-untrusted_key = a chave que verificou o código não é a de confiança
refusal-scanner_state = o estado guardado deste leitor está danificado
refusal-secret_key_exists = um ficheiro de chave secreta seria substituído
refusal-time_out_of_range = uma hora está fora do intervalo
refusal-no_tests = não foram encontrados ficheiros de teste
refusal-colour_not_accepted = esta cor não é aceite aqui
refusal-kind_not_accepted = este tipo de código não é aceite aqui
refusal-issuer_not_accepted = os códigos deste emissor não são reconhecidos aqui
refusal-issuer_denied = os códigos deste emissor são recusados aqui
refusal-no_negative_test = é necessário um teste negativo recente
refusal-test_not_negative = o teste mais recente não é negativo
refusal-test_too_old = o teste negativo mais recente é demasiado antigo
refusal-code_too_old = o código foi emitido há demasiado tempo
refusal-too_few_doses = doses de vacina insuficientes
refusal-no_temperature = o código não tem nenhuma medição de temperatura
refusal-temperature_too_high = a temperatura medida é demasiado alta
refusal-not_logged = o código não consta do registo de decisões
refusal-list_past_next_update = a lista de confiança passou a data da próxima atualização


## Verdict lines of the command line (`verify`, `venue check`, `school summary`, `wallet list`)

verdict-no-code = SEM CÓDIGO
verdict-unverified = NÃO VERIFICADO
report-code = código { $kind } de { $issuer }
report-code-format = código { $kind } ({ $format }) de { $issuer }
report-valid-until = , válido até { $until }
report-name = , { $name }
report-refused-count = { $refused } de { $total ->
        [one] 1 código
       *[other] { $total } códigos
    } recusado(s) ou sem código

## Reading a code without checking it

decode-unverified = NÃO VERIFICADO: a assinatura e a validade deste código NÃO foram verificadas
card-unverified = NÃO VERIFICADO: assinatura NÃO verificada

## Wallets: whose code it is

whose-subject = código de { $name }
whose-no-name = (o nome não consta do código)
whose-carried-by = apresentado por { $holder } ({ $relation } do titular)
whose-carried-by-relation = apresentado por { $relation } do titular
whose-self = apresentado pelo próprio titular
whose-line = { $subject }, { $carried }
wallet-line = { $label }: { $colour } { $kind }, { $whose }, válido até { $until } [{ $status }]
wallet-verified = verificado
wallet-unverified = não verificado
wallet-not-verified = NÃO VERIFICADO
wallet-show = { $whose } (não verificado)

## Border conversion and venues

convert-done = código { $format } de { $source } (sha256 { $hash }) convertido num código transfronteiriço { $colour } de { $issuer }, válido até { $until }
venue-issued = código de local de { $venue }, válido até { $until }
venue-no-name = (sem nome)
venue-verified = LOCAL VERIFICADO: { $venue }
venue-verified-policy = LOCAL VERIFICADO: { $venue }, regra { $policy }
venue-checkin = entrada registada em { $file } ({ $count } guardadas, só neste dispositivo)

## Refusals and warnings of the command line, by stable code

refusal-unverified = sem chaves: a assinatura NÃO foi verificada
refusal-no_policy = aceite como autêntico qualquer que seja a cor: indique --policy FILE ou --green-only para recusar códigos que não sejam verdes
refusal-venue_refused = o código do local foi recusado
refusal-shc_chunk_missing = falta uma parte do SMART Health Card dividido em vários códigos QR
refusal-shc_chunk_repeated = uma parte do SMART Health Card dividido em vários códigos QR foi dada duas vezes
refusal-shc_chunks_inconsistent = as partes do SMART Health Card dividido em vários códigos QR não concordam na numeração
refusal-policy_not_met = o código de origem não cumpre a regra de conversão
refusal-csca_untrusted = o signatário do certificado não é reconhecido por uma autoridade de assinatura do país
refusal-rules = as regras de negócio do EU DCC não puderam ser aplicadas
refusal-rule_failed = recusado pelas regras de negócio do EU DCC do país de chegada
refusal-rule_open = uma regra de negócio do país de chegada não pôde ser decidida

## Errors and usage errors (`--help` itself is in English)

error-line = erro: { $detail }
usage-unknown-argument = argumento inesperado { $arg }
usage-invalid-value = valor inválido { $value } para { $arg }
usage-missing-argument = falta um argumento obrigatório: { $arg }
usage-unknown-command = comando desconhecido { $command }
usage-conflict = { $arg } não pode ser usado com { $other }
usage-missing-command = é necessário indicar um comando
usage-invalid = a linha de comandos não é válida ({ $detail })
usage-usage = Utilização: { $usage }
usage-try-help = Para mais informações, experimente '--help' (em inglês).
usage-card-output = indique --png FILE e/ou --svg FILE

## More lines of the command line

trust-unverified = NÃO VERIFICADO: sem --anchor, a assinatura NÃO foi verificada
cli-wrote = escrito { $file }
explain-not-verified = o código não foi verificado com sucesso
card-not-made = o código não foi verificado com sucesso; nenhum cartão foi feito
wallet-added = { $label } adicionado a { $file } ({ $count ->
        [one] 1 código
       *[other] { $count } códigos
    })
wallet-removed = { $label } removido
wallet-empty = { $file } não tem códigos
wallet-failed = { $count ->
        [one] 1 código não foi verificado
       *[other] { $count } códigos não foram verificados
    } com sucesso
school-problems = { $missing } em falta, { $not_green } não verdes, { $count ->
        [one] 1 código recusado
       *[other] { $count } códigos recusados
    }

## healthpass history: the holder's own decisions in the log
history-header = { $count ->
        [one] 1 decisão sobre si em { $size } entradas (cada uma provada incluída no ponto de verificação)
       *[other] { $count } decisões sobre si em { $size } entradas (cada uma provada incluída no ponto de verificação)
    }
history-line = { $time }  { $colour }  { $reasons }  por { $issuer } ({ $actor })  entrada { $index }
history-no-reason = sem motivo indicado
history-officer = agente { $id }
history-rule = regra { $id }
