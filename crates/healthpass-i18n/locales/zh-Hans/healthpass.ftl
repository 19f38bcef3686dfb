# healthpass messages: Simplified Chinese (zh-Hans).
# Edit the text after `=`; keep every `{ $placeholder }` and the message ids (docs/I18N.md).


## Colours: the word on the card's band and in every sentence

colour-green = 绿码
colour-yellow = 黄码
colour-orange = 橙码
colour-red = 红码

## Reasons (the stable reason codes of docs/FORMAT.md)

reason-negative_test = 近期检测结果为阴性
reason-positive_test = 检测结果为阳性
reason-close_contact = 与确诊病例有密切接触
reason-risk_area_visit = 近期曾在指定风险地区停留
reason-quarantine_completed = 已完成隔离期
reason-fever_at_check = 检查时测得发热
reason-self_reported_symptoms = 自行申报有症状
reason-vaccinated = 已接种疫苗
reason-officer_decision = 由授权人员人工决定
reason-recovered = 确诊感染后已康复
reason-in_quarantine = 正在隔离中
reason-incomplete_reports = 每日健康申报缺失或不完整
reason-normal_reports = 每日健康申报完整且正常
reason-converted_code = 由其他地区经核验的健康码转换而来

## Evidence

test-nucleic_acid = 核酸检测
test-antigen = 抗原检测
test-antibody = 抗体检测
outcome-negative = 阴性
outcome-positive = 阳性
outcome-inconclusive = 结果不确定
evidence-test = { $kind }：{ $result }，采样时间 { $at }
evidence-vaccination = 疫苗接种 { $product }，第 { $dose } 剂（共 { $doses } 剂），日期 { $date }
evidence-temperature = 体温 { $celsius } °C，测量时间 { $at }
evidence-stay-until = { $from } 至 { $until } 在 { $region } 停留
evidence-stay-since = 自 { $from } 起在 { $region } 停留
evidence-resident = { $region } 居民
evidence-decision = 工作人员 { $officer } 于 { $at } 作出决定：{ $basis }

## Explaining a code

explain-colour = 此码为{ $colour }。
explain-valid = 有效期自 { $from } 至 { $until }。
explain-why = 原因：
explain-evidence = 码中记录的证明：
explain-nothing-needed = 无需任何操作：此码为绿码。
explain-to-green = 如何转为绿码：

## What would turn a code green

step-wait-quarantine = 等待隔离期于 { $until } 结束
step-negative-tests = 在阳性结果之后取得连续 { $needed } 次阴性检测结果，每次间隔至少 { $hours } 小时（目前 { $count } 次）
step-wait-contact = 等待至 { $until }（密切接触后 { $days } 天），届时可签发新码
step-wait-risk-area = 等待至 { $until }（离开风险地区后 { $days } 天），届时可签发新码
step-negative-after-fever = 在 { $at } 测得发热之后进行检测并取得阴性结果
step-wait-code-end = 等待此码于 { $until } 到期；届时如无新情况，新码可为绿码
step-send-reports = 每天提交健康申报，且读数正常
step-negative-no-symptoms = 进行检测并取得阴性结果，且申报无症状
step-ask-issuer = 请咨询签发机构：此码的证明未显示如何改变颜色

## Why did my code change colour? (explain with several codes)

change-heading = 从 { $before } 到 { $after }：
change-colour = 颜色由{ $from }变为{ $to }
change-same-colour = 颜色仍为{ $colour }
change-reason-added = 新增原因：{ $reason }
change-reason-removed = 不再适用的原因：{ $reason }
change-evidence-added = 新增证明：{ $fact }
change-evidence-removed = 码中不再有的证明：{ $fact }
change-nothing = 除日期外，两个码内容相同
change-not-same-person = 这些码不属于同一人

## Cards

card-name = 姓名：{ $name }
card-no-name = （码中未载）
card-carried-by = 持码人：{ $relation } { $name }
card-issuer = 签发机构：{ $issuer }
card-valid-from = 生效：{ $at }
card-valid-until = 有效至：{ $at }
relation-parent = 父母
relation-child = 子女
relation-spouse = 配偶
relation-family = 家庭成员
relation-guardian = 监护人
relation-carer = 照顾者

## Command-line lines

verify-valid = 有效：{ $colour }，签发机构 { $issuer }，有效至 { $until }：{ $reasons }
verify-refused = 拒绝：{ $why }
status-unverified = 未核验：未提供密钥（--keys 或 --demo-key），签名未经检查
status-verified = 已核验：签名、密钥及有效期均已检查
status-not-verified = 核验失败：{ $why }
school-issued = { $colour }：{ $day } 学生码，班级 { $class }，有效至 { $until }：{ $reasons }
list-separator = ；

## Checkpoint verdicts

verdict-accepted = 通过
verdict-refused = 拒绝
verdict-summary = { $colour }，{ $kind }码，签发机构 { $issuer }，有效至 { $until }
verdict-finding = [{ $code }] { $message }
verdict-warning = 提示 [{ $code }] { $message }
kind-personal = 个人
kind-student = 学生
kind-cross_border = 跨境
kind-venue = 场所

## A teacher's class summary

summary-heading = { $school }，{ $class } 班，{ $day }：
summary-green = 绿码：{ $count } 人
summary-not-green = 非绿码：{ $name }（{ $colour }：{ $reasons }）
summary-missing = 缺码：{ $name }（今天没有健康码）
summary-others = 不在本班名单上的码：{ $count } 个

## Refusals, by stable code (the code itself never changes with the language)

refusal-prefix = 文本不是此类健康码（前缀不符）
refusal-base45 = 码的文本已损坏（base45）
refusal-too_large = 码的大小超出限制
refusal-decompress = 码的数据已损坏（解压缩）
refusal-body = 码的数据不是已签名的健康码
refusal-cbor = 码的数据格式错误
refusal-trailing_bytes = 码的末尾有多余数据
refusal-duplicate_key = 码的数据中有重复字段
refusal-claims = 码的内容无效
refusal-missing_alg = 码未说明签名算法
refusal-unsupported_alg = 码的签名算法不被接受
refusal-missing_kid = 码未标明签名密钥
refusal-unknown_kid = 码的签名密钥不受信任
refusal-bad_signature = 签名无效：此码可能被伪造或篡改
refusal-expired = 此码已过期
refusal-not_yet_valid = 此码尚未生效
refusal-issued_in_future = 码的签发时间在未来
refusal-issuer_mismatch = 码的签发机构与密钥不符
refusal-no_code = 未找到健康码
refusal-image = 无法读取图像
refusal-qr = 无法生成或读取二维码
refusal-key = 密钥无效
refusal-io = 无法读取或写入文件
refusal-random = 无法取得随机数
refusal-out_of_scope = 签发机构无权签发此类健康码
refusal-revoked = 此码或其密钥已被撤销
refusal-clock_rollback = 本设备时钟被调回，时间不可信
refusal-list_rollback = 提供的信任或撤销名单比现有的旧
refusal-list = 信任或撤销名单无效
refusal-unknown_anchor = 名单并非由受信任机构签署
refusal-stale_list = 信任或撤销名单已过期
refusal-policy = 政策无效
refusal-key_not_valid = 签发时签名密钥无效
refusal-foreign = 无法核验境外证书
refusal-key_usage = 此密钥无权签署此类证书
refusal-untrusted_issuer = 签发机构不受信任
refusal-scenario = 无法执行此请求
refusal-evidence_in_future = 码中的证明日期在未来
refusal-issuer_country_mismatch = 证书的国家与签发机构不符
refusal-poster_superseded = 已扫描此场所较新的海报，以最新者为准
refusal-signed_in_future = 名单的签署时间在未来
refusal-untrusted_key = 核验此码的密钥不是受信任的密钥
refusal-scanner_state = 扫描器的保存状态已损坏
refusal-secret_key_exists = 将会覆盖私钥文件，已拒绝
refusal-time_out_of_range = 时间超出范围
refusal-no_tests = 未找到测试文件
refusal-colour_not_accepted = 此处不接受此颜色的码
refusal-kind_not_accepted = 此处不接受此类健康码
refusal-issuer_not_accepted = 此处不认可该机构签发的码
refusal-issuer_denied = 此处拒绝该机构签发的码
refusal-no_negative_test = 须持有近期阴性检测结果
refusal-test_not_negative = 最近一次检测结果不是阴性
refusal-test_too_old = 最近一次阴性检测结果已超过时限
refusal-code_too_old = 此码签发时间过久
refusal-too_few_doses = 疫苗接种剂数不足
refusal-no_temperature = 码中没有体温记录
refusal-temperature_too_high = 体温读数过高
refusal-not_logged = 此码不在决定记录中
refusal-list_past_next_update = 信任名单已超过下次更新时间


## Verdict lines of the command line (`verify`, `venue check`, `school summary`, `wallet list`)

verdict-no-code = 无码
verdict-unverified = 未核验
report-code = { $kind }码，签发机构 { $issuer }
report-code-format = { $kind }码（{ $format }），签发机构 { $issuer }
report-valid-until = ，有效至 { $until }
report-name = ，{ $name }
report-refused-count = 共 { $total } 个码，{ $refused } 个被拒绝或无码

## Reading a code without checking it

decode-unverified = 未核验：此码的签名和有效期均未经检查
card-unverified = 未核验：签名未经检查

## Wallets: whose code it is

whose-subject = { $name } 的码
whose-no-name = （码中未载姓名）
whose-carried-by = 由 { $holder }（本人的{ $relation }）携带
whose-carried-by-relation = 由本人的{ $relation }携带
whose-self = 由本人携带
whose-line = { $subject }，{ $carried }
wallet-line = { $label }：{ $colour }，{ $kind }，{ $whose }，有效至 { $until } [{ $status }]
wallet-verified = 已核验
wallet-unverified = 未核验
wallet-not-verified = 核验失败
wallet-show = { $whose }（未核验）

## Border conversion and venues

convert-done = 已将 { $source } 签发的 { $format } 码（sha256 { $hash }）转换为 { $issuer } 签发的跨境码：{ $colour }，有效至 { $until }
venue-issued = 场所码：{ $venue }，有效至 { $until }
venue-no-name = （无名称）
venue-verified = 场所已核验：{ $venue }
venue-verified-policy = 场所已核验：{ $venue }，入场规则 { $policy }
venue-checkin = 入场记录已存入 { $file }（保留 { $count } 条，仅存于本设备）

## Refusals and warnings of the command line, by stable code

refusal-unverified = 未提供密钥：签名未经检查
refusal-no_policy = 无论颜色，均作为真实的码接受：如需拒绝非绿码，请提供 --policy FILE 或 --green-only
refusal-venue_refused = 场所码被拒绝
refusal-shc_chunk_missing = SMART 健康卡缺少一个二维码
refusal-shc_chunk_repeated = SMART 健康卡有重复的二维码
refusal-shc_chunks_inconsistent = SMART 健康卡的二维码数目不符
refusal-policy_not_met = 原码不符合转换规则
refusal-csca_untrusted = 证书签发者未获国家签名机构信任
refusal-rules = 无法应用欧盟数字新冠证书的业务规则
refusal-rule_failed = 未通过入境国家的欧盟数字新冠证书业务规则
refusal-rule_open = 入境国家的某条业务规则无法判定

## Errors and usage errors (`--help` itself is in English)

error-line = 错误：{ $detail }
usage-unknown-argument = 无法识别的参数 { $arg }
usage-invalid-value = 参数 { $arg } 的值 { $value } 无效
usage-missing-argument = 缺少必需的参数：{ $arg }
usage-unknown-command = 无法识别的命令 { $command }
usage-conflict = { $arg } 不能与 { $other } 同时使用
usage-missing-command = 需要指定一个命令
usage-invalid = 命令行无效（{ $detail }）
usage-usage = 用法：{ $usage }
usage-try-help = 详细说明请运行 '--help'（英文）。
usage-card-output = 请提供 --png FILE 和/或 --svg FILE

## More lines of the command line

trust-unverified = 未核验：未提供 --anchor，签名未经检查
cli-wrote = 已写入 { $file }
explain-not-verified = 此码未通过核验
card-not-made = 此码未通过核验，未制作卡片
wallet-added = 已将 { $label } 加入 { $file }（共 { $count } 个码）
wallet-removed = 已移除 { $label }
wallet-empty = { $file } 中没有健康码
wallet-failed = { $count } 个码未通过核验
school-problems = 缺码 { $missing } 人，非绿码 { $not_green } 人，{ $count } 个码被拒绝

## healthpass history: the holder's own decisions in the log
history-header = 日志 { $size } 条记录中有 { $count } 条关于你的决定（每条都已证明收录在检查点中）
history-line = { $time }  { $colour }  { $reasons }  由 { $issuer }（{ $actor }）作出  记录 { $index }
history-no-reason = 未给出理由
history-officer = 工作人员 { $id }
history-rule = 规则 { $id }
