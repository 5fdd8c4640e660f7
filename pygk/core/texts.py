"""Every clerk-facing string: sheet names, headers, settings labels, messages.

Code elsewhere refers to these names; nothing Chinese is spelled anywhere else
in the package.
"""

# --- sheets and headers -----------------------------------------------------
SETTINGS_SHEET = "设置"
BULLETIN_SHEET = "通报"
ANNEX_SHEET = "附件{n}"
ANNEX_LABEL = "附件{n}"

UNIT = "单位名称"
SHORT_NAME = "简称"
TOTAL = "总分"
RANK = "排名"
LEGEND_BEST = "表现较好"
LEGEND_WORST = "表现较差"

# --- the 设置 sheet -----------------------------------------------------------
SETTINGS_HEADER = ("项目", "值", "说明")
CATEGORY_HEADER = ("评分项目", "满分", "说明")
GROUP_HEADER = ("工作表", "附件中名称", "较好单位数", "较差单位数")

KEY_YEAR = "年份"
KEY_MONTH = "月份"
KEY_OFFICE = "发文单位"
KEY_ISSUE = "期号"
KEY_DATE = "发文日期"
KEY_TITLE = "通报标题"
KEY_SUMMARY = "通报段落"
KEY_ANNEX_TITLE = "附件标题"
KEY_BEST_MODE = "较好单位评选方式"
KEY_BEST_COUNT = "较好单位数"
KEY_BEST_THRESHOLD = "较好分数线"
KEY_WORST_MODE = "较差单位评选方式"
KEY_WORST_COUNT = "较差单位数"
KEY_WORST_THRESHOLD = "较差分数线"
KEY_TIE = "同分排序"
KEY_RANK_COLUMN = "显示排名列"
KEY_RANK_STYLE = "排名方式"
KEY_PERIODICAL = "期刊名称"
# The 版记 at the end of a bulletin, in print order; the middle three share one line.
IMPRINT_KEYS = ("送", "发", "签发", "审核", "责任编辑", "联系方式")
IMPRINT_SHARED_LINE = ("签发", "审核", "责任编辑")

# Generality (issue 10): weights, entered totals, annex columns, phrasing.
WEIGHT_HEADER = "权重"
COUNTED_HEADER = "计入总分"
GROUP_PARAGRAPH_HEADER = "段落"
KEY_TOTAL_SOURCE = "总分来源"
KEY_ANNEX_COLUMNS = "附件列"
KEY_UNIT_TITLE = "单位列标题"
KEY_TOTAL_TITLE = "总分列标题"
KEY_RANK_TITLE = "排名列标题"
KEY_HEADER_MAXIMA = "表头显示满分"
KEY_ANNEX_ORDER = "附件排序"
KEY_GROUP_JOINER = "分组连接词"
KEY_TOTAL_DECIMALS = "总分小数位"
SOURCE_COMPUTED = "计算"
SOURCE_ENTERED = "录入"
ORDER_TOTAL = "按总分"
ORDER_ROSTER = "按名单顺序"
TIE_PINYIN = "按拼音"
HEADER_WITH_MAX = "{name}({maximum})"
LIST_SEPARATORS = "、，,；;"  # what may separate the names of 附件列 and 趋势图单位
MODE_COUNT = "按名次"
MODE_THRESHOLD = "按分数线"
TIE_ROSTER = "按名单顺序"
TIE_CATEGORIES = "按分项得分"
YES = "是"
NO = "否"
RANK_COMPETITION = "并列跳号"
RANK_DENSE = "并列不跳号"

# Placeholders a clerk may use in the templates of the 设置 sheet.
PH_YEAR = "年"
PH_MONTH = "月"
PH_GROUP = "组"
PH_BEST = "较好单位"
PH_WORST = "较差单位"
PH_BEST_SCORES = "较好单位及分数"
PH_WORST_SCORES = "较差单位及分数"
PH_BEST_TIES = "较好单位及并列"
PH_WORST_TIES = "较差单位及并列"
PH_BEST_COUNT = "较好单位数"
PH_WORST_COUNT = "较差单位数"
PH_GROUP_PARAGRAPHS = "分组段落"
WITH_SCORE = "{name}（{total}分）"
TIE_NOTE = "（并列第{rank}名）"
CLAUSE_MARKS = (("[", "]"), ("［", "］"))  # a part dropped when a list in it is empty; 【】 is punctuation
JOIN_GROUPS_SAFE = "，"  # between groups when a named unit contains 和

NOBODY = "无"
JOIN_UNITS = "、"
JOIN_GROUPS = "和"
ATTACHMENT_LINE = "{n}．{year}年{title}"
ATTACHMENT_LINE_WITH_YEAR = "{n}．{title}"  # the 附件标题 carries {年} itself
YEAR_MARK = "年"  # after a year typed at the start of a 附件标题 (2024年…): no year added before it
ATTACHMENT_LEAD = "附件："
DOCUMENT_TYPES = ("通报", "通知", "报告", "意见", "决定", "请示", "批复", "纪要", "函")
ISSUE_LINE = "（{year}年第{issue}期）"
IMPRINT_ITEM = "{key}：{value}"

# --- history, comparisons and charts ----------------------------------------------
HISTORY_SHEET = "历史"
TREND_SHEET = "趋势"
H_YEAR, H_MONTH, H_ISSUE, H_GROUP = "年份", "月份", "期号", "分组"
H_BEST, H_WORST = "较好", "较差"
CHANGE = "较上月"
CHANGE_UP, CHANGE_DOWN, CHANGE_SAME, CHANGE_NEW = "↑{n}", "↓{n}", "—", "新"
KEY_SHOW_CHANGE = "显示较上月"
KEY_REPEAT = "连续较差提醒"
KEY_REPEAT_MONTHS = "连续较差月数"
KEY_TREND_UNITS = "趋势图单位"
REPEAT_SENTENCE = "连续{n}个月表现较差的有：{units}。"
COUNT_WORDS = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十", 11: "十一", 12: "十二"}
PERIOD_LABEL = "{year}年{month}月"
TREND_BAR_TITLE = "{month}月{group}总分排名"
TREND_LINE_TITLE = "各月总分走势"
NORMAL_STYLE = "常规"  # the name of the default cell style in a style table pygk makes
TREND_NOTE = "本表由 pygk 生成，每次运行重写。折线图的单位在“设置”的“趋势图单位”中填写，用顿号分隔。"
MSG_HISTORY_HEADER = (
    "找不到列“{header}”。请不要修改“历史”表的表头；如已损坏，可删除“历史”表，再用 pygk history add 重新导入。"
)
MSG_HISTORY_NUMBER = "“{found}”不是数字。请改正或删除这一行。"
MSG_IMPORT_PERIOD = "这个工作簿没有“设置”表，请用 --year 和 --month 说明它是哪年哪月的数据，如 --year 2021 --month 10。"
MSG_IMPORT_NO_GROUPS = "没有与“设置”分组表同名的工作表，无法导入。工作表名应为：{names}。"
MSG_IMPORT_USE_CLI = "当前环境不能选择文件。请在命令行运行：pygk history add 旧工作簿.xlsx --into 本工作簿.xlsx"
MSG_IMPORT_PICK = "选择以前某个月的工作簿"
MSG_IMPORTED = "已导入 {period} 的 {units} 个单位到“{book}”的“历史”表。"
CLI_HISTORY_HELP = "管理“历史”表：导入以前月份的结果。\n\n示例：pygk history add 2021年10月.xlsx --into 通报.xlsx"
CLI_HISTORY_ADD_HELP = (
    "把以前某个月的工作簿（本模板格式，或只有单位名称和各评分项目列的表）导入“历史”表。"
    "\n\n示例：pygk history add 2021年10月.xlsx --into 通报.xlsx"
)

# --- the 通报 sheet -----------------------------------------------------------
BULLETIN_HEADER = ("项目", "内容")
ROW_TITLE = "标题"
ROW_SUMMARY = "概述"
ROW_WORK = "工作事项"
ROW_ATTACHMENT = "附件"
BULLETIN_NOTE = "“工作事项”各行由您填写，重新生成时保留；其余各行由 pygk 生成，请勿手改。"

# --- messages -----------------------------------------------------------------
WHERE_CELL = "工作表“{sheet}”单元格 {cell}："
WHERE_SHEET = "工作表“{sheet}”："
WHERE_FILE = "文件“{path}”："

MSG_UNCOMPUTED = "公式“{formula}”还没有计算结果。请在 Excel 中打开工作簿并保存一次，再运行。"
MSG_NOT_NUMBER = "分数“{found}”不是数字。请改为阿拉伯数字，如 18.5。"
MSG_BLANK_SCORE = "“{unit}”的“{category}”没有填写。请填写分数（没有得分请填 0）。"
MSG_NEGATIVE = "分数 {found} 小于 0。请改为 0 或正数。"
MSG_OVER_MAX = "分数 {found} 超过“{category}”的满分 {maximum}。请核对后改正。"
MSG_OVER_MAX_ROWS = (
    "{column} 列第 {rows} 行共 {count} 个分数超过“{category}”的满分 {maximum}（最高为 {highest}）。"
    "请核对后改正；如果是满分填错了，请在“设置”的评分项目表中改正。"
)
MSG_DUPLICATE_UNIT = "单位“{unit}”在本表中重复出现（另见第 {other} 行）。请删除或改正其中一行。"
MSG_NO_UNIT_NAME = "这一行有分数但没有单位名称。请填写单位名称，或清空整行。"
MSG_EMPTY_GROUP = "没有任何单位。请在“{header}”列下填写单位及分数。"
MSG_NO_HEADER = "找不到表头“{header}”。请在表格第一行写上“{header}”及各评分项目名称。"
MSG_MISSING_CATEGORY = "找不到评分项目“{category}”这一列。请添加该列，或在“设置”中改正项目名称。"
MSG_MISSING_SHEET = "工作簿中没有名为“{sheet}”的工作表。请添加该表，或在“设置”的分组表中改正名称。"
MSG_MISSING_SETTING = "缺少设置项“{key}”。请在 A 列写上“{key}”，在 B 列填写它的值。"
MSG_BAD_INTEGER = "“{key}”应为整数，实际为“{found}”。请改为整数，如 {example}。"
MSG_BAD_NUMBER = "“{key}”应为数字，实际为“{found}”。请改为数字。"
MSG_BAD_CHOICE = "“{key}”只能是 {choices}，实际为“{found}”。请从中选择一项。"
MSG_BAD_MONTH = "月份应为 1 到 12，实际为“{found}”。"
MSG_BAD_PLACEHOLDER = "“{key}”中的占位符“{{{name}}}”无法识别。可用的占位符：{allowed}。"
MSG_BAD_TEMPLATE = "“{key}”中的花括号不成对。占位符应写成 {example} 的形式。"
MSG_NO_CATEGORIES = "没有评分项目。请在“评分项目”表头下逐行填写项目名称。"
MSG_TOO_MANY_CATEGORIES = "评分项目有 {count} 个，最多支持 {limit} 个。"
MSG_DUPLICATE_CATEGORY = "评分项目“{category}”重复。请删除其中一行。"
MSG_NO_GROUPS = "没有分组。请在“工作表”表头下逐行填写各组工作表的名称。"
MSG_DUPLICATE_GROUP = "分组工作表“{sheet}”重复。请删除其中一行。"
MSG_NO_THRESHOLD = "“{mode_key}”为“{mode}”时必须填写“{key}”。"
MSG_BAD_WEIGHT = "评分项目“{category}”的权重应为数字，实际为“{found}”。请改为数字，如 0.33；留空表示 1。"
MSG_BAD_COUNTED = "评分项目“{category}”的“计入总分”只能是“是”或“否”，实际为“{found}”。留空表示“是”。"
MSG_RESERVED_CATEGORY = (
    "评分项目不能叫“{category}”：这是 pygk 使用的列名（{reserved}）。请改用其他名称，如“{category}得分”。"
)
MSG_MAXIMUM_DISAGREES_NAME = (
    "评分项目“{category}”的名称中写了满分，“满分”列却是 {found}，两者不一致。请只在一处写满分，或改成一致。"
)
MSG_BAD_DECIMALS = "“{key}”应为 0 到 {limit} 的整数，实际为“{found}”。留空则总分照算出的数显示。"
READING_HEADER = "排序用读音"  # an optional input-sheet column: the pinyin 按拼音 sorts a name by
MSG_MAXIMUM_DISAGREES_HEADER = (
    "“设置”中评分项目“{category}”的满分是 {maximum}，本表表头“{header}”写的却是 {found}，两者不一致。"
    "请改成一致，或删去其中一处。"
)
MSG_TITLE_COLLIDES = (
    "“{key}”为“{title}”，与{other}相同：两列同名，pygk 就分不清哪一列是哪一列。请改用其他标题（留空则用“{default}”）。"
)
TITLE_OF_SETTING = "“{key}”（{title}）"
MSG_TITLE_TOO_LONG = (
    "“{key}”有 {length} 个字，超过了 {limit} 个字的上限（这个标题写在表头，太长会使表头行超过 Excel 允许的行高）。"
    "请缩短到 {limit} 个字以内（留空则用默认标题）。"
)
MSG_CATEGORY_TOO_LONG = (
    "评分项目名称有 {length} 个字，超过了 {limit} 个字的上限"
    "（名称写在附件表的表头，太长会使表头行超过 Excel 允许的行高）。请缩短到 {limit} 个字以内。"
)
TITLE_OF_COLUMN = "“{title}”列"
MSG_ANNEX_COLUMN_UNKNOWN = "“附件列”中的“{name}”无法识别。可用的有：{allowed}（用顿号分隔）。请改正。"
MSG_ANNEX_COLUMN_DUPLICATE = "“附件列”中“{name}”出现了不止一次。请删除多余的。"
MSG_ANNEX_COLUMN_NO_UNIT = "“附件列”中没有“{unit}”。附件表必须有单位名称列，请加上。"
MSG_BAD_OPERATOR = (
    "“{key}”应为数字，前面可加比较符号 {allowed}，实际为“{found}”。请改为如“{example}”的形式；只写数字则{meaning}。"
)
OPERATORS_BEST = "“>”“≥”（或“>=”）"
OPERATORS_WORST = "“<”“≤”（或“<=”）"
MEANING_BEST = "总分大于或等于此数为较好"
MEANING_WORST = "总分小于此数为较差"
MSG_NO_TOTAL_COLUMN = (
    "“设置”中“总分来源”为“录入”，但本表表头中找不到“{header}”列。"
    "请添加“{header}”列并填写各单位的总分，或把“总分来源”改为“计算”。"
)
MSG_BLANK_TOTAL = "“{unit}”的总分没有填写。“总分来源”为“录入”时每个单位都要填写总分。"
MSG_GROUP_PARAGRAPH_UNUSED = (
    "分组表中填写了“段落”，但“通报段落”中没有 {{{placeholder}}}，各组的段落无处可放。"
    "请在“通报段落”中要放各组段落的位置写上 {{{placeholder}}}。"
)
MSG_JOINER_IN_NAME = (
    "“分组连接词”“{joiner}”出现在单位名称“{unit}”中，读者会把它误认为两个单位之间的连接。"
    "请换一个连接词（如“，”），或留空由 pygk 自动选择。"
)
MSG_TOTAL_MISMATCH = (
    "“{unit}”录入的总分 {entered} 与按评分项目计算的 {computed} 相差超过 0.01。请核对；pygk 按录入的总分排名。"
)
MSG_WARNINGS = "注意（{count} 处，不影响生成）："
MSG_RESERVED_SHEET = "分组工作表不能叫“{sheet}”，这个名称由 pygk 生成。请改名。"

MSG_NOT_WORKBOOK = "不是 Excel 工作簿（.xlsx 或 .xlsm）。请在 Excel 中打开后“另存为”Excel 工作簿再试。"
MSG_OLD_XLS = "是旧版 .xls 格式。请在 Excel 或 WPS 中“另存为”.xlsx 后再试。"
MSG_ENCRYPTED = (
    "设置了打开密码，pygk 无法读取。"
    "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后再试。"
)
MSG_NOT_FOUND = "文件不存在。请检查文件名和路径。"
MSG_LOCKED = (
    "正在被 Excel、WPS 或 LibreOffice 打开（发现锁文件“{lock}”）。请先保存并关闭该工作簿再运行；"
    "只检查（pygk check）或写到另一个文件（-o 结果.xlsx）则不必关闭。"
)
MSG_BROKEN = "工作簿结构损坏：{detail}。请在 Excel 中打开并另存一次后再试。"
MSG_OUTPUT_NO_FOLDER = "要写入的文件夹不存在。请先建好文件夹，或换一个位置。"
MSG_OUTPUT_EXISTS_DIR = "输出位置是一个文件夹。请给出文件名，如 结果.xlsx。"

MSG_SUMMARY_PROBLEMS = "发现 {count} 处问题，工作簿未作任何修改："
MSG_UNEXPECTED = "处理时发生意外错误，工作簿未作任何修改。请把下面的信息发给维护人员：{detail}"
MSG_DONE = "完成：已写入“{path}”。"
MSG_CHECK_OK = "检查通过：{groups} 个分组，共 {units} 个单位，没有发现问题。"

# --- Excel (the ribbon) ------------------------------------------------------
ALERT_TITLE = "政务公开"
PROGRESS_READ = "pygk：正在读取数据……"
PROGRESS_SHEET = "pygk：正在写入“{sheet}”……"
PROGRESS_WRITE = "pygk：正在计算并生成 {units} 个单位的结果……"
PROGRESS_SAVE = "pygk：正在保存“{path}”……"
PROGRESS_PDF = "pygk：正在导出 PDF……"
MSG_ABOUT = "pygk {version}\n政务公开月度通报：计算总分和排名，标出较好、较差单位，生成附件表和通报段落。"
MSG_LIVE_DONE = "已完成。\n\n{summary}"
MSG_LIVE_WRITTEN = "已完成：{what}。"
MSG_LIVE_MORE = "……另有 {count} 处问题未列出，请先改正以上问题后再检查。"
MSG_LIVE_UNEXPECTED = "处理时发生意外错误，工作簿未作任何修改。\n详细信息已记录在：{log}\n请把这个文件发给维护人员。"
MSG_LIVE_PARTIAL = (
    "写入时发生意外错误，部分内容可能已经写入。\n请关闭工作簿且不保存，重新打开后再试。\n"
    "详细信息已记录在：{log}\n请把这个文件发给维护人员。"
)
MSG_PDF_UNSUPPORTED = "当前环境不能导出 PDF（需要 Windows 或 Mac 版 Excel）。"
MSG_PDF_DONE = "已导出 PDF：{path}"
MSG_NO_PYTHON = "找不到 Python。请先安装 Python 和 pygk，然后在命令行运行一次：pygk excel-setup"
MSG_NO_PYGK = (
    "所配置的 Python 中没有安装 pygk。请在 pygk 文件夹中打开命令行，运行：pip install .，然后运行：pygk excel-setup"
)
DONE_PARTS = {"inputs": "总分、排名和标色", "annexes": "附件表", "bulletin": "通报段落", "history": "历史记录和趋势图"}

# --- printing and publishing ---------------------------------------------------
MSG_NO_LIBREOFFICE = (
    "找不到 LibreOffice，无法生成 PDF。请安装 LibreOffice（免费，libreoffice.org），"
    "或在 Excel 中用“政务公开”选项卡的“导出PDF”按钮。"
)
MSG_LIBREOFFICE_FAILED = "LibreOffice 转换 PDF 失败（{detail}）。请关闭正在打开的文件后重试。"
MSG_OUTPUT_EXISTS = "文件已存在，pygk 不会覆盖它。请换一个文件名，或先删除原文件。"
MSG_WROTE = "已生成：{path}"
ANNEX_PDF_NAME = "{year}年{month}月附件.pdf"
BULLETIN_NAME = "{year}年{month}月政务公开通报.docx"
CLI_PDF_HELP = (
    "把附件表导出为 PDF（A4、公文页边距、每页重复表头、页码）。需要 LibreOffice。\n\n示例：pygk pdf 通报.xlsx"
)
CLI_BULLETIN_HELP = (
    "生成整份通报的 Word 文档（公文格式：版头、标题、正文、附件、版记）。\n\n示例：pygk bulletin 通报.xlsx --pdf"
)
CLI_PDF_OUTPUT_HELP = "PDF 文件名（默认：工作簿所在文件夹中的“年份年月份月附件.pdf”，如“2021年11月附件.pdf”）"
CLI_BULLETIN_OUTPUT_HELP = (
    "Word 文件名（默认：工作簿所在文件夹中的“年份年月份月政务公开通报.docx”，如“2021年11月政务公开通报.docx”）"
)
CLI_BULLETIN_PDF_HELP = "同时用 LibreOffice 生成 PDF"

# --- command line -------------------------------------------------------------
CLI_USAGE = "用法："
CLI_POSITIONALS = "参数"
CLI_OPTIONALS = "选项"
CLI_COMMANDS = "命令"
CLI_META_BOOK, CLI_META_FILE, CLI_META_OLD_BOOK = "工作簿", "文件名", "旧工作簿"
CLI_META_YEAR, CLI_META_MONTH = "年份", "月份"
CLI_ERRORS = (  # argparse's English messages, as regular expressions, and what the clerk reads instead
    (r"^the following arguments are required: (.*)$", r"缺少 \1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数 \1"),
    (r"^argument (\S+): invalid choice: '([^']*)'.*$", r"“\2”不是 pygk 的命令"),
    (r"^argument (\S+): invalid int value: '([^']*)'$", r"\1 应为整数，实际为“\2”"),
    (r"^argument (\S+): expected one argument$", r"\1 后面缺少值"),
    (r"^argument (\S+): ", r"\1 "),  # the rest is pygk's own Chinese (a value out of range)
)
CLI_HELP_HELP = "显示本帮助并退出"
CLI_VERSION_HELP = "显示版本并退出"
CLI_HELP = "pygk：政务公开月度通报——计算总分和排名，标出较好、较差单位，生成附件表和通报段落。"
CLI_RUN_HELP = (
    "计算并写入工作簿：总分、排名、较好/较差标记、附件表、通报段落。\n\n示例：pygk run 通报.xlsx -o 结果.xlsx"
)
CLI_CHECK_HELP = "只检查数据，不修改工作簿。\n\n示例：pygk check 通报.xlsx"
CLI_OUTPUT_HELP = "写入另一个文件（默认写回原工作簿）"
CLI_SETUP_HELP = "让 Excel 中的“政务公开”选项卡找到本机的 Python（每台电脑运行一次）。\n\n示例：pygk excel-setup"
MSG_SETUP_DONE = (
    "设置完成：Excel 将使用 {interpreter}（已写入 {config}）。\n"
    "现在可以打开 政务公开通报.xlsm，启用宏后使用“政务公开”选项卡。"
)
MSG_SETUP_NO_EXCEL = "本机是 {system}，没有 Excel，无需设置。请直接用命令行：pygk run 工作簿.xlsx"
CLI_VERBOSE_HELP = "出错时显示详细的调试信息"

# --- command line: what the clerk can act on (printing and messages issue) -------
CLI_BOOK_HELP = "工作簿（.xlsx 或 .xlsm）"
CLI_OLD_HELP = "以前某个月的工作簿"
CLI_INTO_HELP = "要写入“历史”表的工作簿"
CLI_YEAR_HELP = "年份（旧工作簿没有“设置”表时必填；有“设置”表时以“设置”为准）"
CLI_MONTH_HELP = "月份 1–12（旧工作簿没有“设置”表时必填；有“设置”表时以“设置”为准）"
CLI_BAD_YEAR = "年份应为 1900 到 9999 之间的整数，实际为“{found}”"
CLI_BAD_MONTH = "月份应为 1 到 12 的整数，实际为“{found}”"
CLI_ARGUMENT_ERROR = "参数有误：{message}\n请运行 pygk --help 查看用法。\n"
HINT_QUOTE_PATH = '文件名或文件夹名中有空格时，请用英文双引号把整个路径括起来，如：pygk {command} "{path}"'
MSG_BOOK_IS_FOLDER = "这是一个文件夹，不是工作簿。请在后面写上工作簿的文件名，如 pygk {command} 通报.xlsx。"
MSG_BOOK_NO_FOLDER = "文件夹“{folder}”不存在。请检查路径；路径中有空格时，请用英文双引号把整个路径括起来。"
MSG_BOOK_OPEN_ELSEWHERE = (
    "注意：“{book}”正在 Excel、WPS 或 LibreOffice 中打开（锁文件“{lock}”）。"
    "pygk 读取的是最后一次保存的内容，尚未保存的修改不会计入。"
)
MSG_IMPORT_SETTINGS_WIN = "注意：旧工作簿有自己的“设置”表，按其中的 {period} 导入；命令行的 {given} 没有使用。"
MSG_UNEXPECTED_NO_OUTPUT = (
    "处理时发生意外错误，没有生成文件（工作簿只读取，未被修改）。请把下面的信息发给维护人员：{detail}"
)
MSG_UNEXPECTED_CHECK = "检查时发生意外错误，检查没有完成（工作簿未被修改）。请把下面的信息发给维护人员：{detail}"
MSG_UNEXPECTED_AFTER_OUTPUT = (
    "已生成“{path}”，但之后发生意外错误，后续步骤没有完成。请把下面的信息发给维护人员：{detail}"
)
MSG_PROBLEMS_AFTER_OUTPUT = "已生成“{path}”，但之后的步骤没有完成（{count} 处问题）："
MSG_FONTS_SUBSTITUTED = (
    "本机没有公文字体，PDF 中用相近字体代替：{pairs}（文档本身仍用公文字体，在装有这些字体的电脑上照常显示）。"
)
FONT_PAIR = "{wanted}→{used}"

# --- trust: the clerk's sheets and cells (ownership) -----------------------------
# (messages about sheets, cells and parts pygk owns or refuses to touch)
MSG_CELLS_TAKEN = "单元格 {cells} 已有内容，不是 pygk 写入的，pygk 不会覆盖。{hint}"
MSG_AND_MORE = " 等（另有 {count} 处）"
MSG_CELLS_EDITED = (
    "单元格 {cells} 是 pygk 上次写入的，之后被改过（现在的内容不是 pygk 写的）。pygk 不会覆盖您的修改。{hint}"
)
MSG_CELLS_EDITED_AMONG = (  # a changed bucket holds several cells: the change is among them, not in each
    "单元格 {cells} 是 pygk 上次写入的，其中有单元格在 pygk 上次写入后被改过（不一定每一格都改过），"
    "pygk 不会覆盖您的修改，这次没有写入任何内容。请检查这些单元格，找出改过的那一格。{hint}"
)
EDITED_TOTAL = (
    "总分和排名由 pygk 按各评分项目计算：要改总分，请改评分项目的分数（或把“设置”中“总分来源”改为“录入”）；"
    "然后清空这些单元格，pygk 会重新填写。"
)
EDITED_SCORES = (
    "“得分来源”为“按扣分计算”，各项得分由 pygk 按“扣分明细”计算：要调整得分，请修改“扣分明细”中的扣分"
    "（或把“得分来源”改为“录入”）；然后清空这些单元格，pygk 会重新填写。"
)
EDITED_BULLETIN = (
    "通报的标题、概述和附件目录由 pygk 按“设置”生成：要改写，请修改“设置”中的“通报标题”“通报段落”或“附件标题”；"
    "然后清空这些单元格，pygk 会重新填写。"
)
MSG_SCORES_NOW_ENTERED = (
    "单元格 {cells} 的得分是 pygk 上次按“扣分明细”计算填写的；“得分来源”现在是“录入”，pygk 把它们当作您录入的分数排名，"
    "以后不再改动。若本月的得分还没有录入，请在这些单元格中填写。"
)
MSG_CELLS_MERGED = "单元格 {cells} 在合并单元格中，pygk 写进去的内容会被遮住。请取消这些单元格的合并后再运行。"
MSG_SHEET_UNEDITABLE = (
    "这张表的内容不符合 Excel 的格式要求（{reason}），pygk 无法安全地修改它，工作簿未作任何修改。"
    "请在 Excel 或 WPS 中打开工作簿、另存一次后再试。"
)
MSG_OWN_OUTPUT_BROKEN = (
    "pygk 生成的“{part}”内容有误，为保护您的工作簿已停止，文件未作任何修改。请把这个工作簿发给维护人员。"
)
REASON_ORDER = "行或单元格的先后顺序不对"
REASON_REFERENCE = "有无法识别的行号或单元格位置"
REASON_XML = "XML 结构损坏"
REASON_CONTENT = "表格数据区中有无法识别的内容"
REASON_WORKBOOK = "工作表目录（xl/workbook.xml）无法识别"
MSG_REMOVED_SHEET_IN_USE = (
    "分组减少后 pygk 要删除它生成的“{sheets}”，但 {what} 引用了它，删除后会变成 #REF!。"
    "请先删除或修改这些引用（或自己删除这张表），再运行。"
)
WHAT_NAME = "名称“{name}”"
WHAT_CHART = "图表（{part}）"
MSG_NAME_SCOPE = (
    "工作簿中的名称“{name}”属于一张不存在的工作表（编号“{scope}”），文件已损坏。"
    "请在 Excel 中打开工作簿（Excel 会修复它）并另存一次后再试。"
)
HINT_TOTAL = "pygk 要在这里写“总分”“排名”。请清空这些单元格（表头可以保留），或把您的内容移到别处，再运行。"
HINT_TITLED = (
    "“设置”中“{key}”为“{title}”，pygk 把表头为“{title}”的列当作它的{what}列，要在这里写{what}。"
    "若这一列是您自己的，请在“设置”中给“{key}”换一个标题；否则请清空这些单元格，再运行。"
)
HINT_BULLETIN = "pygk 要在这里写通报的标题、概述或附件目录。请把您的内容移到别的行，再运行。"
MSG_SHEET_TAKEN = (
    "这张表不是 pygk 生成的，但 pygk 需要用“{sheet}”这个名称写入{what}。pygk 不会修改或删除它："
    "请把它改名（例如“{sheet}（原）”）后再运行。"
)
MSG_SHEET_EXTRAS = (
    "这张表由 pygk 生成，每次运行都会整表重写，但其中有您添加的{extras}，重写会丢失。"
    "请把它们移到别的工作表，或把这张表改名保留（改名后 pygk 不再改动它），再运行。"
)
MSG_NO_ROOM_ROWS = (
    "这张表已用到 Excel 的最后一行（第 1,048,576 行），放不下 pygk 要写的内容。请删除表格下方不用的行后再运行。"
)
MSG_NO_ROOM = "表格右侧已到 Excel 的最后一列（XFD），放不下 pygk 要写的“{what}”。请删除右侧不用的列后再运行。"
WHAT_ANNEX = "附件表"
WHAT_HISTORY = "历史记录"
WHAT_TREND = "趋势图"
WHAT_BULLETIN = "通报段落"
WHAT_LEGEND = "图例"
EXTRA_COMMENTS = "批注"
EXTRA_DRAWINGS = "图片或图表"
EXTRA_TABLES = "表格（Excel 表）"
EXTRA_OTHER = "其他对象"


# --- trust: the file system (links, permissions, locks, interruptions) -----------
# (messages about the workbook file on disk)
MSG_READ_ONLY = (
    "文件是只读的，pygk 不会改动它（Excel 也不会保存到只读文件）。请在文件“属性”中取消“只读”，或用 -o 写到另一个文件。"
)
MSG_HARD_LINK = (
    "这个文件另有 {others} 个硬链接（同一文件的其他名字），写入后那些名字仍是旧内容。"
    "请复制一份，对副本运行，或用 -o 写到另一个文件。"
)
MSG_OUTPUT_SUFFIX = "输出文件的扩展名“{suffix}”不能用。请用 .xlsx（不含宏）或 .xlsm（含宏），如 结果.xlsx。"
NO_SUFFIX = "（无）"  # an output name without an extension, as MSG_OUTPUT_SUFFIX shows it
NO_CONTENT_TYPE = "无"  # a part without a content type, as MSG_MAIN_NOT_SPREADSHEET shows it
MSG_CONVERT_UNKNOWN = "这种工作簿（{kind}）不能转换为 {suffix}。请在 Excel 中另存为 .xlsx 或 .xlsm 后再试。"
MSG_CONVERT_MACROSHEETS = "工作簿含有 Excel 4.0 宏表（{sheets}），不能保存为 .xlsx。请把输出文件的扩展名改为 .xlsm。"
MSG_BUSY = "另一个 pygk 正在处理这个工作簿（锁文件“{lock}”）。请等它完成后再试。"
MSG_CANNOT_READ_CAUSE = "无法读取：{cause}。{advice}"
MSG_CANNOT_WRITE_CAUSE = "无法写入：{cause}，原文件保持不变。{advice}"
MSG_FILE_ERROR = "文件操作失败：{cause}。{advice}"
OS_CAUSES = {  # errno name -> (the cause, what to do)
    "ENOSPC": ("磁盘空间不足", "请清理磁盘或换一个位置后再试。"),
    "EDQUOT": ("磁盘配额已用完", "请清理文件或换一个位置后再试。"),
    "EFBIG": ("文件超过了允许的大小", "请换一个位置后再试。"),
    "EACCES": (
        "没有权限，或文件正被其他程序使用",
        "请关闭正在使用它的程序（如 Excel、WPS），检查文件和所在文件夹的权限后再试。",
    ),
    "EPERM": ("没有权限", "请检查文件和所在文件夹的权限，或请管理员授权后再试。"),
    "ENAMETOOLONG": ("文件名或路径太长", "请改用较短的文件名，或把文件放到层级较浅的文件夹中。"),
    "EROFS": ("所在磁盘是只读的", "请把工作簿复制到可以写入的位置后再试。"),
    "EIO": ("读写磁盘时出错", "请检查磁盘或 U 盘是否已拔出；可把工作簿复制到本机硬盘后再试。"),
    "ENOENT": ("文件或文件夹不存在", "请检查文件名和路径。"),
    "EEXIST": ("文件已存在", "pygk 不会覆盖它。请换一个文件名，或先删除原文件。"),
    "EBUSY": ("文件正被其他程序使用", "请关闭其他程序后再试。"),
    "ETXTBSY": ("文件正被其他程序使用", "请关闭其他程序后再试。"),
    "EISDIR": ("这里应是一个文件，却是同名文件夹", "请给出文件名（如 结果.xlsx），或把这个文件夹改名、移走后再试。"),
    "ENOTDIR": ("路径中有一级不是文件夹，而是一个文件", "请检查路径，或把挡在那里的同名文件改名、移走后再试。"),
}
OS_CAUSE_OTHER = ("系统错误 {name}", "请把工作簿复制到本机硬盘上的其他文件夹后再试。")
MSG_INTERRUPTED = "已中断（Ctrl+C），工作簿未作任何修改。"
MSG_INTERRUPTED_AFTER_WRITE = (
    "已中断（Ctrl+C）：“{path}”已完整写入，但之后的步骤没有完成。请打开它检查，需要时重新运行。"
)
MSG_UNEXPECTED_AFTER_WRITE = (
    "“{path}”已完整写入，但之后发生意外错误，后续步骤没有完成。请打开它检查，并把下面的信息发给维护人员：{detail}"
)
MSG_PROBLEMS_AFTER_WRITE = "“{path}”已完整写入，但之后发现 {count} 处问题："


# --- trust: hostile and broken workbooks -------------------------------------------
# (messages about damaged, oversized or malicious files and values)

_RESAVE = "请在 Excel 中打开这个工作簿并另存一次后再试；如果 Excel 也打不开，请改用备份。"
_UNTRUSTED = "pygk 不会打开它。请确认文件来源；如果文件可信，请在 Excel 中打开并另存一次后再试。"
MSG_PART_DUPLICATE = "部件“{part}”在压缩包中出现了 {count} 次，无法确定哪一份有效，文件已损坏或被改动过。" + _RESAVE
MSG_PART_CASE = (
    "部件“{part}”与“{other}”只有大小写不同；Office 文件的部件名不区分大小写，二者冲突，文件已损坏或被改动过。" + _RESAVE
)
MSG_PART_TOO_BIG = (
    "部件“{part}”解压后有 {size} MB，超过 pygk 的上限 {limit} MB，工作簿异常庞大或已损坏。"
    "请删除不需要的内容（如很大的图片、表格下方或右侧大量多余的内容）并另存后再试。"
)
MSG_BOOK_TOO_BIG = (
    "工作簿解压后共 {size} MB，超过 pygk 的上限 {limit} MB，工作簿异常庞大或已损坏。"
    "请删除不需要的内容（如很大的图片、不用的工作表）并另存后再试。"
)
MSG_PART_RATIO = (
    "部件“{part}”解压后有 {size} MB，是压缩后的 {ratio} 倍，正常的工作簿不会这样，"
    "可能是恶意构造的“压缩炸弹”。" + _UNTRUSTED
)
MSG_DIRECTORY_TOO_BIG = (
    "压缩包目录有 {size} MB（部件数量异常多），超过 pygk 的上限 {limit} MB，可能是恶意构造的文件。" + _UNTRUSTED
)
MSG_NO_MAIN_PART = (
    "找不到工作簿主体：“_rels/.rels”中没有指向工作簿的关系。这不是 Excel 工作簿，或文件已损坏。" + _RESAVE
)
MSG_MAIN_NOT_SPREADSHEET = (
    "主体部件“{part}”不是电子表格（类型为“{content_type}”），可能是改了扩展名的 Word 或 PowerPoint 文件。"
    "请使用 Excel 工作簿（.xlsx 或 .xlsm）。"
)
MSG_STRICT = "是“Strict Open XML 电子表格”格式，pygk 不支持。请在 Excel 中“另存为”普通的“Excel 工作簿(*.xlsx)”后再试。"
MSG_PART_PLACE = "部件“{part}”不在 pygk 支持的位置（应为“{expected}”）。" + _RESAVE
MSG_WORKBOOK_PART_BAD = "工作簿主体“{part}”缺少工作表列表或其中的工作表没有名称，文件已损坏。" + _RESAVE
MSG_PART_MISSING = "缺少部件“{part}”：工作簿中有关系指向它，压缩包里却没有，文件已损坏。" + _RESAVE
MSG_PART_CORRUPT = "部件“{part}”已损坏（压缩数据不完整或校验不符）。" + _RESAVE
MSG_PART_MALFORMED = "部件“{part}”不是格式正确的 XML（第 {line} 行第 {column} 列附近出错），文件已损坏。" + _RESAVE
MSG_PART_DOCTYPE = (
    "部件“{part}”含有文档类型声明（DOCTYPE 或实体定义）。Office 文件不允许这样做，可能是恶意构造的文件"
    "（如“十亿笑声”实体炸弹或读取本机文件的外部实体）。" + _UNTRUSTED
)
MSG_ROW_OUT_OF_RANGE = "第 {row} 行超出 Excel 的上限 1048576 行，文件已损坏或由其他程序生成。" + _RESAVE
MSG_BAD_ROW_NUMBER = "行号“{found}”无效，文件已损坏或由其他程序生成。" + _RESAVE
MSG_COLUMN_OUT_OF_RANGE = (
    "单元格位置“{ref}”超出 Excel 的最后一列 XFD（共 16384 列），文件已损坏或由其他程序生成。" + _RESAVE
)
MSG_BAD_CELL_REF = "单元格位置“{ref}”无效，文件已损坏或由其他程序生成。" + _RESAVE
MSG_SECTION_TWICE = "部件“{part}”中的{what}出现了不止一次（Excel 只允许有一个），文件已损坏或由其他程序生成。" + _RESAVE
SECTION_NAMES = {"sheetData": "单元格数据区", "mergeCells": "合并单元格列表"}  # what MSG_SECTION_TWICE calls them
MSG_ROW_NESTED = "第 {row} 行中嵌套了 Excel 不认识的内容（<{tag}>），文件已损坏或由其他程序生成。" + _RESAVE
MSG_BAD_STRING_INDEX = "单元格引用了不存在的第 {index} 个共享字符串，文件已损坏。" + _RESAVE
MSG_SHEET_TOO_LARGE = (
    "数据范围过大（已超过 {limit} 个单元格，最远到 {ref}），pygk 无法读取。"
    "请删除表格以外远处的内容（如 XFD 列或很靠下的行中的内容）后再试。"
)
MSG_SCORE_DATE = (
    "这个分数单元格设置成了日期或时间格式，显示的是日期而不是分数。"
    "请把它的格式改为“常规”或“数值”（开始 → 数字格式），核对分数后再运行。"
)
MSG_SCORE_NOT_FINITE = (
    "文件中保存的分数是“{found}”（无穷大或非数字），不是有效的分数，文件可能由其他程序生成。请重新输入分数。"
)
MSG_SCORE_TOO_LARGE = "分数“{found}”超过 Excel 能保存的最大数。请核对后改正。"
MSG_TOTAL_OVERFLOW = "“{unit}”的各项分数相加超过 Excel 能保存的最大数，无法计算总分。请核对这一行的分数。"
MSG_MERGE_HIDDEN = (
    "合并单元格 {merge} 遮住了这个单元格中的“{found}”（合并后只显示左上角 {anchor} 的内容）。pygk 不会使用看不见的值。"
    "请取消合并（开始 → 合并后居中 → 取消单元格合并），核对每个单元格的内容后再运行。"
)
MSG_MERGE_SCORES = (
    "分数单元格 {merge} 被合并了，每个单位的每项分数应各占一个单元格。"
    "请取消合并（开始 → 合并后居中 → 取消单元格合并），在每个单元格中填写分数后再运行。"
)
MSG_MERGE_OVERLAP = "合并单元格 {merge} 与其他合并区域重叠或范围过大，文件已损坏。" + _RESAVE
MSG_TEXT_TOO_LONG = "文字有 {length} 个字符，超过 Excel 单元格的上限 {limit} 个，pygk 无法照原样写入。请缩短这段文字。"
MSG_GENERATED_TOO_LONG = "按“{key}”生成的文字有 {length} 个字符，超过 Excel 单元格的上限 {limit} 个。请缩短“{key}”。"
MSG_SUMMARY_TOO_LONG_HINT = "点名的单位过多时，也可以减少较好、较差单位数，或在录入表中填写简称。"
MSG_OUTPUT_TOO_LONG = (
    "pygk 要写入“{target}”表的文字“{start}……”有 {length} 个字符，超过 Excel 单元格的上限 {limit} 个。"
    "请在这段文字的来源处（如“历史”表或“设置”）缩短它后再运行。"
)
MSG_TOO_MANY_ROWS_ANNEX = (
    "本组单位过多：“{annex}”表将有 {rows} 行，超过 Excel 的上限 1048576 行。请把本组拆分为几个分组。"
)
MSG_TOO_MANY_ROWS_HISTORY = (
    "“历史”表将有 {rows} 行，超过 Excel 的上限 1048576 行。"
    "请把较早月份的记录另存到别的工作簿，并从“历史”表中删除这些行后再运行。"
)
MSG_TOO_BIG_TREND = (
    "“趋势”表将有 {rows} 行、{cols} 列，超过 Excel 的上限（1048576 行、16384 列）。"
    "请减少分组或“趋势图单位”中的单位后再运行。"
)


# --- inspection findings (扣分明细, 扣分规则, 得分来源) ------------------------------
FINDINGS_SHEET = "扣分明细"
RULES_SHEET = "扣分规则"
F_ITEM, F_PROBLEM, F_DESCRIPTION, F_POINTS = "评分项目", "问题类型", "问题描述", "扣分"
F_FOUND, F_WHERE, F_DEADLINE, F_STATUS = "发现日期", "网址或栏目", "整改期限", "整改情况"
FINDINGS_HEADER = (UNIT, F_ITEM, F_PROBLEM, F_DESCRIPTION, F_POINTS, F_FOUND, F_WHERE, F_DEADLINE, F_STATUS)
FINDINGS_REQUIRED = (UNIT, F_PROBLEM, F_POINTS)
R_PER_FINDING, R_CAP, R_VETO = "每次扣分", "单项最多扣分", "单项否决"
RULES_HEADER = (F_PROBLEM, F_ITEM, R_PER_FINDING, R_CAP, R_VETO)
RULES_REQUIRED = (F_PROBLEM, F_ITEM)
RECTIFIED = "已整改"
DAY = "{year}年{month}月{day}日"
KEY_SCORE_SOURCE = "得分来源"
SOURCE_TYPED = "录入"
SOURCE_FINDINGS = "按扣分计算"
FAILED = "不合格"
BLANK_PER_FINDING = "由“扣分明细”逐条填写扣分"
BLANK_CAP = "不设上限"
MSG_FINDINGS_NO_HEADER = "找不到表头“{header}”。请在前 20 行中的一行写上表头：{columns}。"
MSG_FINDINGS_MISSING_COLUMN = "找不到“{column}”这一列。请在表头行（第 {row} 行）中添加“{column}”。"
MSG_FINDING_NO_UNIT = "这一行有扣分记录但没有单位名称。请填写单位名称，或清空整行。"
MSG_FINDING_UNIT_IN_GROUPS = (
    "单位“{unit}”同时在{sheets}中，这条扣分会在每个分组都扣一次。"
    "请在录入表中改用不同的单位名称（如加上所属分组），再在这里填写其中一个。"
)
MSG_FINDING_UNKNOWN_UNIT = "单位“{unit}”不在任何分组的录入表中。请按录入表中的单位名称填写（可从录入表复制）。"
MSG_FINDING_NO_PROBLEM = "没有填写问题类型。请从“扣分规则”表的问题类型中选择一项填写。"
MSG_FINDING_UNKNOWN_PROBLEM = (
    "问题类型“{problem}”不在“扣分规则”表中。请改为扣分规则中的问题类型，或在“扣分规则”表中为它添加一行。"
)
MSG_UNKNOWN_ITEM = "评分项目“{item}”不在“设置”的评分项目中。请改为其中之一：{items}。"
MSG_FINDING_ITEM_MISMATCH = (
    "“扣分规则”表中问题类型“{problem}”属于评分项目{rule_items}，不属于“{item}”。请改正评分项目或问题类型。"
)
MSG_FINDING_ITEM_AMBIGUOUS = "问题类型“{problem}”在“扣分规则”表中属于多个评分项目（{items}）。请填写评分项目。"
MSG_FINDING_NEGATIVE = "扣分 {found} 小于 0。请填写 0 或正数，或留空按“扣分规则”扣分。"
MSG_FINDING_NOT_NUMBER = "扣分“{found}”不是数字。请改为阿拉伯数字，如 0.5，或留空按“扣分规则”扣分。"
MSG_FINDING_POINTS_DATE = "扣分单元格设置成了日期或时间格式。请把格式改为“常规”或“数值”，核对扣分后再运行。"
MSG_FINDING_NO_POINTS = (
    "扣分没有填写，“扣分规则”中“{problem}”也没有每次扣分。请填写扣分，或在“扣分规则”表中填写每次扣分。"
)
MSG_FINDING_NOT_DATE = (
    "“{column}”应为日期，这里是“{found}”（文字或数字，不是日期）。"
    "请重新输入日期，如 2021/11/5，并把单元格格式设为日期（开始 → 数字格式 → 短日期）。"
)
MSG_RULE_NO_PROBLEM = "这一行没有填写问题类型。请填写问题类型，或清空整行。"
MSG_RULE_DUPLICATE = "问题类型“{problem}”（评分项目“{item}”）重复（另见第 {other} 行）。请删除其中一行。"
MSG_RULE_BAD_NUMBER = "“{column}”应为 0 或正数，实际为“{found}”。请改为数字，如 0.5；留空表示{blank}。"
MSG_RULE_BAD_VETO = "“单项否决”只能填“是”或“否”（留空为“否”），实际为“{found}”。"
MSG_FINDINGS_NO_RULES = "有“扣分明细”表，但没有“扣分规则”表。请添加“扣分规则”表，表头为：{columns}。"
MSG_DERIVED_NO_FINDINGS = (
    "“得分来源”为“按扣分计算”，但工作簿中没有“扣分明细”表。请添加该表（表头：{columns}），或把“得分来源”改为“录入”。"
)
MSG_DERIVED_NO_MAXIMUM = (
    "“得分来源”为“按扣分计算”时每个评分项目都要有满分，“{category}”没有。请在“设置”的评分项目表中填写满分。"
)
HINT_SCORES = (
    "“得分来源”为“按扣分计算”，pygk 要在这里写各项得分、总分和排名。"
    "请清空这些单元格（表头可以保留），或把“得分来源”改为“录入”，再运行。"
)
PH_MAIN_PROBLEMS = "主要问题"
PH_PROBLEM_UNITS = "问题单位"
PH_FAILED = "不合格单位"
MAIN_PROBLEMS = "{problems}等问题"
PROBLEM_UNITS = "{problem}的有：{units}"
JOIN_PROBLEM_UNITS = "；"
RESULT = "评定"
PROBLEM_LIST_TITLE = "{月}月份网站检查发现问题清单"
PROBLEM_LIST_HEADER = (UNIT, F_ITEM, F_PROBLEM, F_DESCRIPTION, F_POINTS, F_DEADLINE)
NOTICE_REASON_WORST = "本月检查中表现较差"
NOTICE_REASON_FAILED = "存在单项否决问题，评定为不合格"
NOTICE_REASON_OVERDUE = "有问题超过整改期限仍未整改"
NOTICES_NAME = "{year}年{month}月整改通知.docx"
NOTICE_TITLE = "关于{unit}网站检查发现问题整改的通知"
NOTICE_TO = "{unit}："
NOTICE_OPENING = (
    "根据{year}年{month}月政府网站和政务公开检查情况，你单位{reasons}（本月总分 {total} 分）。"
    "现将需要整改的问题通知如下："
)
JOIN_REASONS = "，"
NOTICE_ITEM = "{n}．{item}：{problem}。{description}（扣 {points} 分，整改期限：{deadline}）"
NOTICE_ITEM_NO_DESCRIPTION = "{n}．{item}：{problem}（扣 {points} 分，整改期限：{deadline}）"
NOTICE_OVERDUE = "，已逾期"
NOTICE_NO_DEADLINE = "请尽快整改"
NOTICE_NO_ITEMS = "本月检查中你单位没有尚未整改的具体问题，请对照评分项目全面自查、补齐短板。"
NOTICE_CLOSING = "请你单位高度重视，对照上述问题逐项整改到位，并于整改期限内将整改情况书面报送{office}。"
MSG_NO_NOTICES = "本月没有需要发整改通知的单位（没有表现较差、不合格或逾期未整改的单位），没有生成文件。"
CLI_NOTICES_HELP = (
    "为表现较差、不合格或有逾期未整改问题的单位生成整改通知（一个 Word 文档，每个单位一页，公文格式）。"
    "\n\n示例：pygk notices 通报.xlsx --pdf"
)
CLI_NOTICES_OUTPUT_HELP = (
    "Word 文件名（默认：工作簿所在文件夹中的“年份年月份月整改通知.docx”，如“2021年11月整改通知.docx”）"
)
FINDINGS_HISTORY_SHEET = "扣分历史"
WHAT_FINDINGS_HISTORY = "扣分历史记录"
MSG_FINDINGS_HISTORY_HEADER = (
    "找不到列“{header}”。请不要修改“扣分历史”表的表头；如已损坏，可删除“扣分历史”表（将失去以前月份的扣分记录）。"
)
PH_LAST_MONTH = "上月问题"
PH_RECURRING = "重复问题"
PH_FINDINGS = (PH_MAIN_PROBLEMS, PH_PROBLEM_UNITS, PH_FAILED, PH_LAST_MONTH, PH_RECURRING)
LAST_MONTH = "上月发现的 {total} 个问题中，{fixed} 个本月未再发现，{again} 个仍然存在"
RECURRING_UNIT = "{unit}（{problems}）"
SHORT_DAY = "{month}月{day}日"
MSG_TOO_MANY_ROWS_FINDINGS = (
    "问题过多：“{annex}”（问题清单）将有 {rows} 行，超过 Excel 的上限 1048576 行。"
    "请把较早的问题移到别的工作簿后再运行。"
)
MSG_TOO_MANY_ROWS_FINDINGS_HISTORY = (
    "“扣分历史”表将有 {rows} 行，超过 Excel 的上限 1048576 行。"
    "请把较早月份的记录另存到别的工作簿，并从“扣分历史”表中删除这些行后再运行。"
)

# The clerk's kit (tools/build_kit.py, pygk/kit.py): the batch files' and the buttons' words without xlwings.
KIT_INSTALL_FILE = "安装.cmd"
KIT_DROP_FILE = "拖入工作簿生成通报.cmd"
KIT_WORKBOOK_FILE = "政务公开通报.xlsm"
KIT_NOT_EXTRACTED = "请先把整个压缩包解压（右键 →“全部解压缩”），再双击解压出的文件夹中的这个文件。"
KIT_PRESS_A_KEY = "按任意键关闭本窗口……"
KIT_INSTALLING = "正在安装 pygk（只为当前用户安装，不需要管理员权限）……"
KIT_COPIED = "已把 pygk 复制到“{folder}”。"
KIT_CONFIGURED = "已告诉 Excel 用“{interpreter}”运行 pygk（写入“{config}”）。"
KIT_DESKTOP = "已把“{name}”放到桌面：“{path}”。"
KIT_DESKTOP_SAME = "桌面上已有“{name}”，与本次安装的相同，未改动。"
KIT_INSTALLED = (
    "安装完成。以后每月：\n"
    "  1. 在桌面上的“政务公开通报.xlsm”中填好数据，保存并关闭；\n"
    "  2. 把工作簿拖到桌面上的“拖入工作簿生成通报.cmd”图标上，结果写回工作簿，并生成 Word 通报；\n"
    "  或者打开工作簿，点“政务公开”选项卡中的按钮。"
)
KIT_NOT_A_KIT = (
    "“{folder}”不是完整解压的 pygk 安装包（缺少 pygk-kit.txt），没有安装任何文件。请重新解压整个压缩包后再运行安装。"
)
KIT_NOT_OURS = "“{folder}”已经存在，但不是 pygk 安装的文件夹，pygk 不会改动它。请把它改名或移走后重新运行安装。"
KIT_INSTALL_FAILED = "安装没有完成：无法写入“{path}”（{cause}）。{advice}"
KIT_NOTHING_CHANGED = "本次安装做过的改动已全部撤回：电脑上的文件与安装前相同。"
KIT_UNDO_FAILED = "撤回时无法恢复“{path}”（{cause}），请手动检查它。{advice}"
KIT_ANSWER_EXISTS = "“{path}”已经存在，pygk 不会覆盖不是它创建的文件，命令没有运行。请再点一次按钮。"
KIT_ANSWER_FAILED = "无法写入 pygk 的回答“{path}”（{cause}），命令没有运行。{advice}"
KIT_DROP_NOTHING = "没有收到工作簿。请用鼠标把工作簿（.xlsx 或 .xlsm）拖到“拖入工作簿生成通报.cmd”的图标上。"
KIT_DROP_BOOK = "—— 工作簿“{book}” ——"
KIT_DROP_OK = "全部完成：工作簿已更新，Word 通报已生成。"
KIT_DROP_FAILED = "没有全部完成，请按上面的提示处理后，再把工作簿拖到本文件上。"
MSG_NO_KIT = (
    "找不到 pygk。请先双击 pygk 压缩包中的“安装.cmd”（不需要管理员权限），"
    "或安装 Python 和 pygk 后在命令行运行一次：pygk excel-setup"
)
MSG_SAVE_FIRST = "请先保存工作簿（文件 → 另存为，保存类型选“启用宏的工作簿 (*.xlsm)”），再点按钮。"
MSG_HAND_OFF = "数据检查通过。请点“确定”：工作簿将关闭，pygk 写入结果后会重新打开它，并显示结果。"
MSG_RUNNING = "pygk：正在处理，请稍候……"
MSG_NO_ANSWER = "pygk 没有运行完（退出码 {status}）。请把工作簿拖到“拖入工作簿生成通报.cmd”上运行，查看提示。"
KIT_STILL_OPEN = "工作簿“{book}”一直没有关闭，pygk 没有写入。请关闭它后再点按钮。"
