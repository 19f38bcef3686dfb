# healthpass messages: Traditional Chinese (zh-Hant).
# Edit the text after `=`; keep every `{ $placeholder }` and the message ids (docs/I18N.md).


## Colours: the word on the card's band and in every sentence

colour-green = 綠碼
colour-yellow = 黃碼
colour-orange = 橙碼
colour-red = 紅碼

## Reasons (the stable reason codes of docs/FORMAT.md)

reason-negative_test = 近期檢測結果為陰性
reason-positive_test = 檢測結果為陽性
reason-close_contact = 與確診個案有密切接觸
reason-risk_area_visit = 近期曾在指定風險地區逗留
reason-quarantine_completed = 已完成隔離期
reason-fever_at_check = 檢查時量得發燒
reason-self_reported_symptoms = 自行申報有症狀
reason-vaccinated = 已接種疫苗
reason-officer_decision = 由授權人員人手決定
reason-recovered = 確診感染後已康復
reason-in_quarantine = 正在隔離中
reason-incomplete_reports = 每日健康申報缺失或不完整
reason-normal_reports = 每日健康申報完整且正常
reason-converted_code = 由其他地區經核實的健康碼轉換而來

## Evidence

test-nucleic_acid = 核酸檢測
test-antigen = 抗原檢測
test-antibody = 抗體檢測
outcome-negative = 陰性
outcome-positive = 陽性
outcome-inconclusive = 結果不確定
evidence-test = { $kind }：{ $result }，採樣時間 { $at }
evidence-vaccination = 疫苗接種 { $product }，第 { $dose } 劑（共 { $doses } 劑），日期 { $date }
evidence-temperature = 體溫 { $celsius } °C，量度時間 { $at }
evidence-stay-until = { $from } 至 { $until } 在 { $region } 逗留
evidence-stay-since = 自 { $from } 起在 { $region } 逗留
evidence-resident = { $region } 居民
evidence-decision = 職員 { $officer } 於 { $at } 作出決定：{ $basis }

## Explaining a code

explain-colour = 此碼為{ $colour }。
explain-valid = 有效期由 { $from } 至 { $until }。
explain-why = 原因：
explain-evidence = 碼中記錄的證明：
explain-nothing-needed = 無需任何行動：此碼為綠碼。
explain-to-green = 如何轉為綠碼：

## What would turn a code green

step-wait-quarantine = 等待隔離期於 { $until } 結束
step-negative-tests = 在陽性結果之後取得連續 { $needed } 次陰性檢測結果，每次相隔至少 { $hours } 小時（目前 { $count } 次）
step-wait-contact = 等待至 { $until }（密切接觸後 { $days } 天），屆時可簽發新碼
step-wait-risk-area = 等待至 { $until }（離開風險地區後 { $days } 天），屆時可簽發新碼
step-negative-after-fever = 在 { $at } 量得發燒之後進行檢測並取得陰性結果
step-wait-code-end = 等待此碼於 { $until } 到期；屆時如無新情況，新碼可為綠碼
step-send-reports = 每天提交健康申報，且讀數正常
step-negative-no-symptoms = 進行檢測並取得陰性結果，且申報無症狀
step-ask-issuer = 請向簽發機構查詢：此碼的證明未顯示如何改變顏色

## Why did my code change colour? (explain with several codes)

change-heading = 由 { $before } 至 { $after }：
change-colour = 顏色由{ $from }變為{ $to }
change-same-colour = 顏色仍為{ $colour }
change-reason-added = 新增原因：{ $reason }
change-reason-removed = 不再適用的原因：{ $reason }
change-evidence-added = 新增證明：{ $fact }
change-evidence-removed = 碼中不再有的證明：{ $fact }
change-nothing = 除日期外，兩個碼內容相同
change-not-same-person = 這些碼不屬於同一人

## Cards

card-name = 姓名：{ $name }
card-no-name = （碼中未載）
card-carried-by = 持碼人：{ $relation } { $name }
card-issuer = 簽發機構：{ $issuer }
card-valid-from = 生效：{ $at }
card-valid-until = 有效至：{ $at }
relation-parent = 父母
relation-child = 子女
relation-spouse = 配偶
relation-family = 家庭成員
relation-guardian = 監護人
relation-carer = 照顧者

## Command-line lines

verify-valid = 有效：{ $colour }，簽發機構 { $issuer }，有效至 { $until }：{ $reasons }
verify-refused = 拒絕：{ $why }
status-unverified = 未核實：未提供密鑰（--keys 或 --demo-key），簽名未經檢查
status-verified = 已核實：簽名、密鑰及有效期均已檢查
status-not-verified = 核實失敗：{ $why }
school-issued = { $colour }：{ $day } 學生碼，班別 { $class }，有效至 { $until }：{ $reasons }
list-separator = ；

## Checkpoint verdicts

verdict-accepted = 通過
verdict-refused = 拒絕
verdict-summary = { $colour }，{ $kind }碼，簽發機構 { $issuer }，有效至 { $until }
verdict-finding = [{ $code }] { $message }
verdict-warning = 提示 [{ $code }] { $message }
kind-personal = 個人
kind-student = 學生
kind-cross_border = 跨境
kind-venue = 場所

## A teacher's class summary

summary-heading = { $school }，{ $class } 班，{ $day }：
summary-green = 綠碼：{ $count } 人
summary-not-green = 非綠碼：{ $name }（{ $colour }：{ $reasons }）
summary-missing = 欠碼：{ $name }（今天沒有健康碼）
summary-others = 不在本班名單上的碼：{ $count } 個

## Refusals, by stable code (the code itself never changes with the language)

refusal-prefix = 文字不是此類健康碼（前綴不符）
refusal-base45 = 碼的文字已損壞（base45）
refusal-too_large = 碼的大小超出限制
refusal-decompress = 碼的數據已損壞（解壓縮）
refusal-body = 碼的數據不是已簽署的健康碼
refusal-cbor = 碼的數據格式錯誤
refusal-trailing_bytes = 碼的末尾有多餘數據
refusal-duplicate_key = 碼的數據中有重複欄位
refusal-claims = 碼的內容無效
refusal-missing_alg = 碼未說明簽署算法
refusal-unsupported_alg = 碼的簽署算法不被接受
refusal-missing_kid = 碼未標明簽署密鑰
refusal-unknown_kid = 碼的簽署密鑰不受信任
refusal-bad_signature = 簽署無效：此碼可能被偽造或篡改
refusal-expired = 此碼已過期
refusal-not_yet_valid = 此碼尚未生效
refusal-issued_in_future = 碼的簽發時間在未來
refusal-issuer_mismatch = 碼的簽發機構與密鑰不符
refusal-no_code = 找不到健康碼
refusal-image = 無法讀取圖像
refusal-qr = 無法產生或讀取二維碼
refusal-key = 密鑰無效
refusal-io = 無法讀取或寫入檔案
refusal-random = 無法取得隨機數
refusal-out_of_scope = 簽發機構無權簽發此類健康碼
refusal-revoked = 此碼或其密鑰已被撤銷
refusal-clock_rollback = 本裝置時鐘被調回，時間不可信
refusal-list_rollback = 提供的信任或撤銷名單比現有的舊
refusal-list = 信任或撤銷名單無效
refusal-unknown_anchor = 名單並非由受信任機構簽署
refusal-stale_list = 信任或撤銷名單已過期
refusal-policy = 政策無效
refusal-key_not_valid = 簽發時簽署密鑰無效
refusal-foreign = 無法核實境外證書
refusal-key_usage = 此密鑰無權簽署此類證書
refusal-untrusted_issuer = 簽發機構不受信任
refusal-scenario = 無法執行此請求
refusal-evidence_in_future = 碼中的證明日期在未來
refusal-issuer_country_mismatch = 證書的國家與簽發機構不符
refusal-poster_superseded = 已掃描此場所較新的海報，以最新者為準
refusal-signed_in_future = 名單的簽署時間在未來
refusal-untrusted_key = 核實此碼的密鑰不是受信任的密鑰
refusal-scanner_state = 掃描器的儲存狀態已損壞
refusal-secret_key_exists = 將會覆蓋私鑰檔案，已拒絕
refusal-time_out_of_range = 時間超出範圍
refusal-no_tests = 找不到測試檔案
refusal-colour_not_accepted = 此處不接受此顏色的碼
refusal-kind_not_accepted = 此處不接受此類健康碼
refusal-issuer_not_accepted = 此處不認可該機構簽發的碼
refusal-issuer_denied = 此處拒絕該機構簽發的碼
refusal-no_negative_test = 須持有近期陰性檢測結果
refusal-test_not_negative = 最近一次檢測結果不是陰性
refusal-test_too_old = 最近一次陰性檢測結果已超過時限
refusal-code_too_old = 此碼簽發時間過久
refusal-too_few_doses = 疫苗接種劑數不足
refusal-no_temperature = 碼中沒有體溫記錄
refusal-temperature_too_high = 體溫讀數過高
refusal-not_logged = 此碼不在決定記錄中
refusal-list_past_next_update = 信任名單已超過下次更新時間


## Verdict lines of the command line (`verify`, `venue check`, `school summary`, `wallet list`)

verdict-no-code = 無碼
verdict-unverified = 未核實
report-code = { $kind }碼，簽發機構 { $issuer }
report-code-format = { $kind }碼（{ $format }），簽發機構 { $issuer }
report-valid-until = ，有效至 { $until }
report-name = ，{ $name }
report-refused-count = 共 { $total } 個碼，{ $refused } 個被拒絕或無碼

## Reading a code without checking it

decode-unverified = 未核實：此碼的簽名和有效期均未經檢查
card-unverified = 未核實：簽名未經檢查

## Wallets: whose code it is

whose-subject = { $name } 的碼
whose-no-name = （碼中未載姓名）
whose-carried-by = 由 { $holder }（本人的{ $relation }）攜帶
whose-carried-by-relation = 由本人的{ $relation }攜帶
whose-self = 由本人攜帶
whose-line = { $subject }，{ $carried }
wallet-line = { $label }：{ $colour }，{ $kind }，{ $whose }，有效至 { $until } [{ $status }]
wallet-verified = 已核實
wallet-unverified = 未核實
wallet-not-verified = 核實失敗
wallet-show = { $whose }（未核實）

## Border conversion and venues

convert-done = 已將 { $source } 簽發的 { $format } 碼（sha256 { $hash }）轉換為 { $issuer } 簽發的跨境碼：{ $colour }，有效至 { $until }
venue-issued = 場所碼：{ $venue }，有效至 { $until }
venue-no-name = （無名稱）
venue-verified = 場所已核實：{ $venue }
venue-verified-policy = 場所已核實：{ $venue }，入場規則 { $policy }
venue-checkin = 入場記錄已存入 { $file }（保留 { $count } 條，僅存於本裝置）

## Refusals and warnings of the command line, by stable code

refusal-unverified = 未提供密鑰：簽名未經檢查
refusal-no_policy = 無論顏色，均作為真實的碼接受：如需拒絕非綠碼，請提供 --policy FILE 或 --green-only
refusal-venue_refused = 場所碼被拒絕
refusal-shc_chunk_missing = SMART 健康卡缺少一個二維碼
refusal-shc_chunk_repeated = SMART 健康卡有重複的二維碼
refusal-shc_chunks_inconsistent = SMART 健康卡的二維碼數目不符
refusal-policy_not_met = 原碼不符合轉換規則
refusal-csca_untrusted = 證書簽發者未獲國家簽名機構信任
refusal-rules = 無法應用歐盟數碼新冠證書的業務規則
refusal-rule_failed = 未通過入境國家的歐盟數碼新冠證書業務規則
refusal-rule_open = 入境國家的某條業務規則無法判定

## Errors and usage errors (`--help` itself is in English)

error-line = 錯誤：{ $detail }
usage-unknown-argument = 無法識別的參數 { $arg }
usage-invalid-value = 參數 { $arg } 的值 { $value } 無效
usage-missing-argument = 缺少必需的參數：{ $arg }
usage-unknown-command = 無法識別的命令 { $command }
usage-conflict = { $arg } 不能與 { $other } 同時使用
usage-missing-command = 需要指定一個命令
usage-invalid = 命令行無效（{ $detail }）
usage-usage = 用法：{ $usage }
usage-try-help = 詳細說明請執行 '--help'（英文）。
usage-card-output = 請提供 --png FILE 和/或 --svg FILE

## More lines of the command line

trust-unverified = 未核實：未提供 --anchor，簽名未經檢查
cli-wrote = 已寫入 { $file }
explain-not-verified = 此碼未通過核實
card-not-made = 此碼未通過核實，未製作卡片
wallet-added = 已將 { $label } 加入 { $file }（共 { $count } 個碼）
wallet-removed = 已移除 { $label }
wallet-empty = { $file } 中沒有健康碼
wallet-failed = { $count } 個碼未通過核實
school-problems = 欠碼 { $missing } 人，非綠碼 { $not_green } 人，{ $count } 個碼被拒絕

## healthpass history: the holder's own decisions in the log
history-header = 日誌 { $size } 條記錄中有 { $count } 條關於你的決定（每條都已證明收錄在檢查點中）
history-line = { $time }  { $colour }  { $reasons }  由 { $issuer }（{ $actor }）作出  記錄 { $index }
history-no-reason = 未給出理由
history-officer = 工作人員 { $id }
history-rule = 規則 { $id }
