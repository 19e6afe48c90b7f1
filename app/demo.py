"""The demo county: 安福县's investment projects, as a year of recorded events.

`load_demo` registers the demo accounts and plays about sixty projects into a Banban service:
signings, teams and team changes, plans and replans, milestones, approval items (some with a
commitment, one or two rejected), problems from raising to resolution (some still open), progress
reports, visits, leader instructions, service ratings and two corrections. Two projects follow
the figures of the seed report: 江西鲁丽绿色新材料科技产业园 (signing to construction in 7
months, land approvals in under 2 months, 51 households cleared in 10 days, 190 power towers
moved in under 40 days) and 佩玫标准厂房 (13 departments' approvals in 5 days, from a Tuesday's
parallel approval).

Everything is generated from `random.Random(seed)`: the same seed and the same `today` give the
same history (project ids and recorded times aside). Every business date lies within the year
before `today`. Each project's history is built in business-date order, and the projects are
played interleaved by date, so the store's notification log reads like the county's year.

The plan is made to satisfy the domain's rules; nothing is caught and skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from domain.application import Banban
from domain.lifecycle import MILESTONES

DEMO_PASSWORD = "banban-demo"

# ---- accounts -------------------------------------------------------------------------

_ACCOUNTS: list[tuple[str, str, str]] = [
    ("office", "office", "陈敏"),
    ("office2", "office", "罗晓燕"),
    ("zhangwei", "agent", "张伟"),
    ("liuyang", "agent", "刘洋"),
    ("wangfang", "agent", "王芳"),
    ("lijing", "agent", "李静"),
    ("ouyanghui", "agent", "欧阳辉"),
    ("pengtao", "agent", "彭涛"),
    ("chenqiang", "agent", "陈强"),
    ("zhoujie", "agent", "周杰"),
    ("wuhua", "agent", "吴华"),
    ("xuli", "agent", "徐丽"),
    ("sunhao", "agent", "孙浩"),
    ("huangmin", "agent", "黄敏"),
    ("liujianguo", "leader", "刘建国"),
    ("yanghong", "leader", "杨红"),
    ("luowen", "leader", "罗文"),
    ("auditor", "auditor", "钟琳"),
]

AGENTS = [u for u, r, _ in _ACCOUNTS if r == "agent"]
LEADERS = [u for u, r, _ in _ACCOUNTS if r == "leader"]
OFFICES = [u for u, r, _ in _ACCOUNTS if r == "office"]
NAMES = {u: n for u, _, n in _ACCOUNTS}


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts (all with DEMO_PASSWORD), for printing."""
    return [{"username": u, "role": r, "display_name": n} for u, r, n in _ACCOUNTS]


# ---- the county's projects ------------------------------------------------------------

PARKS = ["安福工业园", "安福工业园北区", "安福高新技术产业园", "洲湖镇工业小区"]
NO_PARK_INDUSTRIES = {"文旅", "现代农业"}

# (name, investor, industry); 文旅 and 现代农业 projects are outside the parks.
_PROJECTS: list[tuple[str, str, str]] = [
    ("海能科创园", "海能实业集团有限公司", "电子信息"),
    ("融贤科技智能终端产业园", "江西融贤科技有限公司", "电子信息"),
    ("年产30万吨高性能铝基新材料项目", "江西华铝新材料有限公司", "新材料"),
    ("锂电池负极材料生产基地", "江西恒锂新能源材料有限公司", "新能源"),
    ("高端电子铜箔项目", "江西铜博电子材料有限公司", "新材料"),
    ("特种玻璃纤维制品项目", "吉安瑞纤新材料有限公司", "新材料"),
    ("生物基可降解塑料项目", "江西绿塑科技有限公司", "新材料"),
    ("高分子防水卷材生产线", "江西雨顺建材科技有限公司", "新材料"),
    ("硬质合金刀具项目", "江西钨锋硬质合金有限公司", "新材料"),
    ("先进陶瓷新材料项目", "江西瓷晶新材料有限公司", "新材料"),
    ("高密度印制电路板项目", "安福鼎兴电路科技有限公司", "电子信息"),
    ("车载显示模组项目", "江西晶彩光电有限公司", "电子信息"),
    ("5G通信连接器项目", "吉安讯联精密电子有限公司", "电子信息"),
    ("LED照明及显示器件项目", "江西明辉光电科技有限公司", "电子信息"),
    ("智能穿戴设备组装项目", "深圳启航智能科技有限公司", "电子信息"),
    ("电子元器件产业园", "江西安晟电子有限公司", "电子信息"),
    ("智能农机装备制造项目", "江西丰耘农业装备有限公司", "装备制造"),
    ("新能源汽车零部件项目", "浙江驰远汽车部件有限公司", "装备制造"),
    ("精密数控机床项目", "江西精工数控机械有限公司", "装备制造"),
    ("环保设备生产基地", "江西清源环保装备有限公司", "装备制造"),
    ("电梯部件生产项目", "吉安升达电梯配件有限公司", "装备制造"),
    ("输变电设备制造项目", "江西赣电电气设备有限公司", "装备制造"),
    ("五金工具生产项目", "江西锐锋工具有限公司", "装备制造"),
    ("武功山火腿精深加工项目", "江西武功山火腿食品有限公司", "食品加工"),
    ("富硒大米加工项目", "江西禾丰米业有限公司", "食品加工"),
    ("预制菜中央厨房项目", "江西鲜厨食品科技有限公司", "食品加工"),
    ("茶油精深加工项目", "安福县油茶产业开发有限公司", "食品加工"),
    ("休闲食品生产基地", "湖南味源食品有限公司", "食品加工"),
    ("武功山矿泉水灌装项目", "江西武功山泉饮品有限公司", "食品加工"),
    ("高档针织面料项目", "浙江锦纶纺织有限公司", "纺织服装"),
    ("智能制衣工厂", "广东衣尚服饰有限公司", "纺织服装"),
    ("功能性纱线项目", "江西赣纺纱业有限公司", "纺织服装"),
    ("鞋服辅料产业园", "福建恒达鞋材有限公司", "纺织服装"),
    ("家纺用品生产项目", "江西睡美家纺有限公司", "纺织服装"),
    ("中药饮片及提取物项目", "江西本草堂药业有限公司", "生物医药"),
    ("医用敷料生产项目", "江西康护医疗用品有限公司", "生物医药"),
    ("兽用生物制品项目", "吉安华牧生物科技有限公司", "生物医药"),
    ("原料药及中间体项目", "江西恒康药业有限公司", "生物医药"),
    ("医疗器械产业园", "江西安泰医疗器械有限公司", "生物医药"),
    ("武功山温泉康养小镇", "江西武功山文旅发展有限公司", "文旅"),
    ("羊狮慕景区提质升级项目", "安福县羊狮慕旅游开发有限公司", "文旅"),
    ("安福老城历史文化街区", "江西庐陵文旅集团有限公司", "文旅"),
    ("武功山户外运动基地", "江西山野户外运动有限公司", "文旅"),
    ("泸水河湿地公园及民宿集群", "安福县泸水文化旅游有限公司", "文旅"),
    ("万亩猕猴桃种植基地", "江西金果农业发展有限公司", "现代农业"),
    ("生猪养殖及屠宰加工项目", "江西绿康牧业有限公司", "现代农业"),
    ("高标准蔬菜大棚基地", "安福县绿源农业科技有限公司", "现代农业"),
    ("油茶林提质改造项目", "江西赣山油茶科技有限公司", "现代农业"),
    ("稻虾共作综合种养项目", "安福县丰禾农业专业合作社联合社", "现代农业"),
    ("定制家居产业园", "广东家美家居有限公司", "家居"),
    ("实木门窗生产项目", "江西木本家居有限公司", "家居"),
    ("分布式光伏发电项目", "江西赣能新能源有限公司", "新能源"),
    ("储能电池Pack项目", "江西储安能源科技有限公司", "新能源"),
    ("生物质热电联产项目", "安福县绿能热电有限公司", "新能源"),
    ("赣西冷链物流园", "江西赣西冷链物流有限公司", "现代物流"),
    ("再生资源综合利用项目", "江西循环再生资源有限公司", "节能环保"),
    ("绿色包装材料项目", "江西绿源包装科技有限公司", "新材料"),
    ("电商直播产业园", "安福县电商产业发展有限公司", "电子商务"),
]

# ---- approval items by the milestone they lead to ---------------------------------------

_APPROVALS: dict[str, list[tuple[str, str]]] = {
    "project_filed": [("企业投资项目备案", "县发展和改革委员会")],
    "land_approved": [
        ("建设项目用地预审与选址意见书", "县自然资源局"),
        ("使用林地审核同意书", "县林业局"),
        ("农用地转用审批", "吉安市自然资源局"),
    ],
    "land_delivered": [("不动产权证书（交地即交证）", "县不动产登记中心")],
    "construction_permitted": [
        ("建设用地规划许可证", "县自然资源局"),
        ("环境影响评价批复", "吉安市安福生态环境局"),
        ("节能审查意见", "县发展和改革委员会"),
        ("水土保持方案审批", "县水利局"),
        ("防雷装置设计审核", "县气象局"),
        ("建设工程规划许可证", "县自然资源局"),
        ("施工图设计文件审查", "县住房和城乡建设局"),
        ("建筑工程施工许可证", "县住房和城乡建设局"),
    ],
    "completion_accepted": [
        ("建设工程消防验收", "县住房和城乡建设局"),
        ("规划条件核实", "县自然资源局"),
        ("竣工验收备案", "县住房和城乡建设局"),
    ],
    "production_started": [("排污许可证", "吉安市安福生态环境局")],
}
_PRODUCTION_APPROVALS: dict[str, tuple[str, str]] = {
    "食品加工": ("食品生产许可证", "县市场监督管理局"),
    "生物医药": ("药品生产许可证", "江西省药品监督管理局"),
    "文旅": ("旅游景区质量等级评定", "县文化广电新闻出版旅游局"),
    "现代农业": ("动物防疫条件合格证", "县农业农村局"),
    "新能源": ("电力业务许可证", "国家能源局华中监管局"),
}
# Documents an approval may be granted without (容缺), by the milestone it leads to.
_MISSING_DOCUMENTS: dict[str, list[list[str]]] = {
    "land_approved": [["勘测定界报告"], ["规划总平面图（盖章版）"]],
    "construction_permitted": [
        ["农民工工资保证金缴纳凭证"], ["施工合同备案表"], ["监理合同"], ["地质勘察报告"],
        ["安全生产管理人员证书复印件", "施工组织设计"], ["消防设计专篇（盖章版）"],
    ],
    "completion_accepted": [["竣工图纸（电子版）"], ["工程质量保修书"]],
    "production_started": [["突发环境事件应急预案备案表"], ["自行监测方案"]],
}
_REJECT_REASONS = {
    "环境影响评价批复": "选址与居民区的卫生防护距离不足，需调整总平面布局后重新申报",
    "节能审查意见": "能耗测算依据不足，单位产品能耗高于行业准入值，需补充节能措施后重新申报",
    "水土保持方案审批": "弃渣场选址不符合要求，需修改水土保持方案后重新申报",
    "防雷装置设计审核": "防雷设计图纸与建筑施工图不一致，需修改后重新申报",
}

# ---- problems by phase: (title, description, responsible unit) ---------------------------

_PROBLEMS: dict[str, list[tuple[str, str, str]]] = {
    "signing": [
        ("项目公司注册及银行开户", "企业外地团队不熟悉本地办事流程，需代办员全程陪同办理", "县市场监督管理局"),
        ("入园会审材料准备不齐", "可研报告和投资强度测算需按园区准入标准补充", "园区管委会"),
        ("招商优惠政策兑现", "协议约定的前期奖励资金尚未拨付", "县商务局"),
    ],
    "land": [
        ("林地指标不足", "项目用地涉及林地约80亩，县内林地定额不足，需向上争取", "县林业局"),
        ("征地补偿标准分歧", "部分农户对青苗补偿标准有异议，影响征地进度", "所在乡镇人民政府"),
        ("地块内坟墓迁移", "地块内有坟墓30余座需迁移", "所在乡镇人民政府"),
        ("地块内灌溉水渠改道", "地块中部有灌溉主渠，改道前不能平整场地", "县水利局"),
        ("土地规划调整", "地块部分为一般农田，需调整土地利用规划", "县自然资源局"),
        ("地块内10kV线路迁改", "地块内有10kV线路穿过，需迁改后才能交地", "国网安福县供电公司"),
    ],
    "construction": [
        ("施工临时用电接入慢", "施工用电报装后变压器未到位，影响桩基施工", "国网安福县供电公司"),
        ("施工用水管网未通", "园区供水管网未延伸至地块", "县城市投资集团"),
        ("进场道路未硬化", "雨天施工车辆无法进场", "园区管委会"),
        ("土方外运消纳场地", "基础开挖土方约5万方，缺少消纳场地", "县城市管理局"),
        ("周边村民阻工", "部分村民以噪音扰民为由阻挠夜间施工", "所在乡镇人民政府"),
        ("钢材价格上涨资金紧张", "建设资金缺口约3000万元，需协调银行贷款", "县金融工作办公室"),
    ],
    "operation": [
        ("招工难、缺熟练工", "投产后用工缺口约200人，熟练工紧缺", "县人力资源和社会保障局"),
        ("流动资金贷款", "原料采购需流动资金，企业申请续贷", "县金融工作办公室"),
        ("天然气管网接入", "生产线需天然气，园区管网未覆盖", "县城市投资集团"),
        ("出口退税办理", "首次办理出口退税，资料不熟悉", "县税务局"),
        ("员工子女入学", "外地员工子女需就近入学", "县教育体育局"),
        ("污水接入园区污水处理厂", "企业预处理后污水需接管", "园区管委会"),
    ],
}
_SAME_DAY_PROBLEMS = [
    ("增值税发票增量申领", "企业开票量增加，需临时增加发票领用数量", "县税务局"),
    ("营业执照经营范围变更", "新增产品需变更经营范围", "县市场监督管理局"),
    ("员工社保参保登记", "新招员工需集中办理参保", "县社会保险事业管理中心"),
    ("厂区门口路灯损坏", "园区道路路灯损坏，夜班员工出行不便", "园区管委会"),
    ("企业印章刻制", "项目公司新设立，需刻制公章", "县公安局"),
    ("施工临时占道审批", "吊装作业需临时占用园区道路半天", "县交通运输局"),
]
_PLANS = [
    "代办员当日对接责任单位，明确专人办理，限期办结",
    "召开现场协调会，责任单位现场办公，形成会议纪要并倒排时间",
    "由首席代办员牵头，联合责任单位上门服务，分步推进",
    "列入周调度问题清单，责任单位每周报告进展",
]
_FOLLOW_UPS = [
    "已与责任单位对接，材料已补充完毕，正在办理",
    "责任单位已安排专人跟进，预计按期解决",
    "现场查看进度，已完成约一半，督促加快",
    "周调度会上通报进展，责任单位承诺按期完成",
]
_RESOLUTIONS = [
    "责任单位按期办结，企业确认问题已解决",
    "经现场协调达成一致，问题已解决",
    "已办理完毕，企业表示满意",
    "相关手续已办结，项目恢复正常推进",
]

# ---- visits, instructions, ratings ------------------------------------------------------

_VISIT_PURPOSES = {
    "signing": ["了解项目前期工作进展", "对接项目备案和入园会审材料", "宣传惠企政策"],
    "land": ["了解用地报批和征地进展", "陪同企业踏勘地块", "协调交地前的场地平整"],
    "construction": ["查看施工进度", "了解施工中遇到的困难", "督促安全文明施工", "对接竣工验收准备"],
    "operation": ["了解投产后生产经营情况", "收集企业用工和融资诉求", "宣传惠企政策并帮助申报奖补"],
}
_MET_WITH = ["企业负责人", "项目经理", "总经理", "行政主管", "财务总监", "董事长"]
_INSTRUCTIONS = [
    "周调度：对标节点倒排工期，确保按计划推进，存在困难及时上报",
    "半月汇报：相关部门要主动靠前服务，不得以任何理由拖延办理",
    "月督查：项目进度滞后，请代办服务中心约谈责任单位，限期整改",
    "季通报：项目推进总体良好，继续保持，做好要素保障",
    "请县自然资源局、县林业局全力保障项目用地需求",
    "要把企业的事当作自己的事来办，当天能解决的不过夜",
]
_PROBLEM_INSTRUCTIONS = [
    "请相关部门主要负责人亲自协调，一周内拿出解决方案",
    "此事由我领题，责任单位每三天报一次进展",
    "特事特办，请供电、自然资源等部门联合办公，限期解决",
]
_RATING_COMMENTS = {
    5: ["代办员全程帮办，手续办得又快又好", "服务非常到位，真正做到了零跑腿", "有求必应，效率很高"],
    4: ["服务总体满意，个别事项办理时间偏长", "代办员很负责，希望部门间衔接更顺畅"],
    3: ["问题反映后解决较慢，希望加快", "部分审批事项仍需企业多次跑"],
}
_SUSPEND_REASONS = [
    "企业资金链紧张，项目暂缓建设，待融资到位后复工",
    "产品市场行情变化，企业调整建设方案，项目暂停",
    "投资方股权变更，新股东重新评估项目，暂停推进",
]
_TERMINATE_REASONS = [
    "投资方战略调整，经双方协商解除投资协议，项目退出",
    "企业未能按协议约定到位资金，经县政府研究终止投资协议",
]

# Typical days from the previous milestone, and the share of the investment spent on reaching.
_TYPICAL_DAYS = {
    "park_review_passed": 7, "project_filed": 10, "land_approved": 45, "land_cleared": 30,
    "land_delivered": 20, "construction_permitted": 40, "construction_started": 15,
    "completion_accepted": 120, "production_started": 30, "operating": 60,
}
_SPENT = {
    "land_approved": 0.02, "land_delivered": 0.08, "construction_started": 0.12,
    "completion_accepted": 0.80, "production_started": 0.92, "operating": 1.0,
}
_MILESTONE_NOTES = {
    "park_review_passed": "分管县领导召集11个部门召开入园会审，集中评审、同步出具意见",
    "project_filed": "项目备案完成",
    "land_approved": "用地报批完成",
    "land_cleared": "征地拆迁完成",
    "land_delivered": "交地即交证",
    "construction_permitted": "施工许可证核发",
    "construction_started": "拿地即开工",
    "completion_accepted": "完工即验收，联合验收一次通过",
    "production_started": "首条生产线投产",
    "operating": "全面达产",
}


# ---- the script of one project -----------------------------------------------------------

@dataclass
class _Ref:
    """The version of an earlier step of the same project, known once it is recorded."""

    key: str


class _Chief:
    """The project's chief agent at the moment the step is recorded."""


_CHIEF = _Chief()


@dataclass
class _Step:
    on: date
    prio: int
    seq: int
    event_type: str
    actor: Any  # a username, "chief", or ("team", n): the n-th member of the team at that time
    fields: dict[str, Any]
    key: str | None = None


@dataclass
class _Script:
    """Everything that will be recorded on one project, before it is played."""

    name: str
    investor: str
    industry: str
    investment: int
    park: str | None
    chief: str
    co_agents: list[str]
    leader: str | None
    signed_on: date
    horizon: date
    steps: list[_Step] = field(default_factory=list)
    seq: int = 0

    def add(self, on: date, event_type: str, actor: Any, *, prio: int = 5,
            key: str | None = None, **fields: Any) -> None:
        self.seq += 1
        self.steps.append(_Step(on, prio, self.seq, event_type, actor, fields, key))

    def signing(self) -> _Step:
        fields = {"name": self.name, "investor": self.investor, "industry": self.industry,
                  "investment": self.investment, "park": self.park,
                  "chief_agent": self.chief, "co_agents": list(self.co_agents),
                  "leader": self.leader}
        return _Step(self.signed_on, 0, 0, "signed", "office", fields)

    def ordered(self) -> list[_Step]:
        """The steps to play, in business-date order, without those after the horizon.

        Approval and problem ids are numbered again in the order the items appear.
        """
        kept = [s for s in self.steps if s.on <= self.horizon]
        keys = {s.key for s in kept if s.key}
        kept = [s for s in kept
                if not (isinstance(s.fields.get("corrects_version"), _Ref)
                        and s.fields["corrects_version"].key not in keys)]
        kept.sort(key=lambda s: (s.on, s.prio, s.seq))
        ids: dict[tuple[str, str], str] = {}
        counts = {"approval_id": 0, "problem_id": 0}
        renumbered = []
        for s in kept:
            fields = dict(s.fields)
            for name, prefix in (("approval_id", "AP"), ("problem_id", "PB")):
                if fields.get(name) is not None:
                    if (name, fields[name]) not in ids:
                        counts[name] += 1
                        ids[name, fields[name]] = f"{prefix}-{counts[name]:02d}"
                    fields[name] = ids[name, fields[name]]
            renumbered.append(replace(s, fields=fields))
        return [self.signing(), *renumbered]


def _weekday(d: date) -> date:
    """A working day near a date: Saturday moves back to Friday, Sunday on to Monday.

    No date moves past a working day, so the mapping keeps the order of dates (non-decreasing).
    Official holidays and make-up days are not modelled.
    """
    return d + timedelta(days={5: -1, 6: 1}.get(d.weekday(), 0))


def _monday(d: date) -> date:
    """The Monday of the week of a date."""
    return d - timedelta(days=d.weekday())


def _money(yuan: float) -> int:
    """Whole 万元 (10,000 yuan)."""
    return int(yuan // 10_000) * 10_000


# ---- the generic project -----------------------------------------------------------------

@dataclass
class _Plan:
    """The decisions for one generic project, made before its events are generated."""

    index: int
    name: str
    investor: str
    industry: str
    phase: str
    status: str = "active"  # active, suspended, resumed, terminated
    same_day_review: bool = False
    investment: int | None = None
    leader: bool | None = None
    team_change: bool = False
    reject: bool = False
    correct_visit: bool = False
    correct_milestone: bool = False
    overdue: bool = False
    reopen: bool = False


class _Generic:
    """Generates the history of one project from its plan."""

    def __init__(self, plan: _Plan, rng: random.Random, today: date):
        self.plan, self.rng, self.today = plan, rng, today
        r = rng
        industry = plan.industry
        park = None if industry in NO_PARK_INDUSTRIES else r.choice(PARKS)
        investment = plan.investment or _money(10 ** r.uniform(7.7, 9.3))
        self.codes = [c for c in MILESTONES
                      if (c != "park_review_passed" or park)
                      and (c != "land_cleared" or r.random() < 0.6)]
        # Signing date by target phase, in days before today.
        ranges = {"operation": (300, 360), "construction": (150, 335),
                  "land": (70, 260), "signing": (10, 80)}
        lo, hi = ranges[plan.phase]
        signed_on = _weekday(today - timedelta(days=r.randint(lo, hi)))
        # Suspended or terminated projects stop at their end date; a resumed one has a gap.
        self.window: tuple[date, date] | None = None
        horizon = today
        room = (today - signed_on).days
        if plan.status in ("suspended", "terminated"):
            horizon = _weekday(signed_on + timedelta(days=int(room * r.uniform(0.75, 0.93))))
            if horizon > today:
                horizon -= timedelta(days=7)
        elif plan.status == "resumed":
            gap = r.randint(25, 45)
            a = _weekday(signed_on + timedelta(days=int((room - gap) * r.uniform(0.35, 0.6))))
            self.window = (a, _weekday(a + timedelta(days=gap)))
        chief = r.choice(AGENTS)
        co = r.sample([a for a in AGENTS if a != chief], r.randint(1, 3))
        want_leader = plan.leader if plan.leader is not None else (
            investment >= 1_000_000_000 or (investment >= 300_000_000 and r.random() < 0.5))
        leader = r.choice(LEADERS) if want_leader else None
        self.s = _Script(plan.name, plan.investor, industry, investment, park, chief, co,
                         leader, signed_on, horizon)
        self.gap = (self.window[1] - self.window[0]).days if self.window else 0
        # The last raw (unshifted) date events may have.
        self.end = horizon - timedelta(days=self.gap)

    def at(self, raw: date) -> date:
        """A raw date as played: moved past the suspension gap, and off weekends."""
        if self.window and raw > self.window[0]:
            raw += timedelta(days=self.gap)
        return _weekday(raw)

    def days(self, start: date, n: float) -> date:
        return start + timedelta(days=int(round(n)))

    # -- build --

    def build(self) -> _Script:
        self.milestones()
        self.team_changes()
        self.plans()
        self.reach()
        self.approvals()
        self.problems()
        self.progress()
        self.visits()
        self.instructions()
        self.ratings()
        self.status_end()
        return self.s

    def milestones(self) -> None:
        """Choose how many milestones are reached, and their raw dates."""
        r, s, codes, phase = self.rng, self.s.signed_on, self.codes, self.plan.phase
        in_phase = [i for i, c in enumerate(codes) if MILESTONES[c] == phase]
        if phase == "signing":
            k = r.randint(0, len(in_phase))
        elif self.plan.correct_milestone:
            k = len(codes)
        else:
            k = r.choice(in_phase) + 1
        available = (self.end - s).days - (12 if self.plan.correct_milestone else 4)
        weights = [_TYPICAL_DAYS[c] * r.uniform(0.6, 1.4) for c in codes]
        if self.plan.same_day_review and codes[0] == "park_review_passed":
            weights[0] = 0
        self.reached: dict[str, date] = {}
        if k:
            span = max(k * 2, int(available * r.uniform(0.6, 0.93)))
            span = min(span, available)
            scale = span / sum(weights[:k])
            cum, previous = 0.0, s
            for i in range(k):
                cum += weights[i]
                d = self.days(s, cum * scale)
                if d <= previous and not (i == 0 and weights[0] == 0):
                    d = previous + timedelta(days=1)
                self.reached[codes[i]] = d
                previous = d
        else:
            scale = 1.0
        self.k, self.scale = k, scale
        last = self.reached[codes[k - 1]] if k else s
        self.last = last
        # Projected dates of the milestones not reached: late enough to be after the end.
        self.projected: dict[str, date] = {}
        previous = max(last, self.end)
        for i in range(k, len(codes)):
            step = weights[i] * max(scale, 0.7)
            if i == k:
                step = max(step, 5) * r.uniform(0.2, 0.8)
            previous = self.days(previous, max(step, 1))
            self.projected[codes[i]] = previous

    def team_of(self, on: date) -> tuple[str, list[str], str | None]:
        team = (self.s.chief, self.s.co_agents, self.s.leader)
        for when, chief, co, leader in getattr(self, "changes", []):
            if when <= on:
                team = (chief, co, leader)
        return team

    def team_changes(self) -> None:
        self.changes: list[tuple[date, str, list[str], str | None]] = []
        if not self.plan.team_change:
            return
        r, s = self.rng, self.s
        room = (self.end - s.signed_on).days
        if room < 40:
            return
        raw = self.days(s.signed_on, r.randint(20, room - 10))
        chief, co, leader = s.chief, list(s.co_agents), s.leader
        kind = r.choice(["chief", "add", "leader"] if leader is None else ["chief", "add"])
        office = r.choice(OFFICES)
        if kind == "chief":
            new = r.choice([a for a in AGENTS if a not in (chief, *co)])
            reason = (f"原首席代办员{NAMES[chief]}工作调整，由{NAMES[new]}接任首席代办员，"
                      f"{NAMES[chief]}继续协助做好交接")
            co = [chief, *co][:3]
            chief = new
        elif kind == "add":
            new = r.choice([a for a in AGENTS if a not in (chief, *co)])
            reason = f"项目推进任务加重，增派代办员{NAMES[new]}协同服务"
            co = [*co, new]
        else:
            leader = r.choice(LEADERS)
            reason = f"项目列入县重点调度项目，明确{NAMES[leader]}同志为分管县领导挂点联系"
        on = self.at(raw)
        self.changes.append((on, chief, co, leader))
        fields = {"chief_agent": chief, "co_agents": co, "reason": reason}
        if kind == "leader":
            fields["leader"] = leader
        s.add(on, "team_assigned", office, prio=1, **fields)

    def plans(self) -> None:
        """The plan made just after signing, some replans, and the next milestone's deadline."""
        r, s, codes = self.rng, self.s, self.codes
        planning_on = self.at(self.days(s.signed_on, r.randint(1, 4)))
        planned: dict[str, date] = {}
        for code in codes:
            reached = self.reached.get(code)
            if reached is not None:
                if self.at(reached) < planning_on:
                    continue
                target = reached + timedelta(days=r.randint(-12, 25))
            elif code == codes[self.k] and self.plan.overdue:
                target = self.today - timedelta(days=r.randint(5, 40))  # now overdue
            else:
                target = self.projected[code] + timedelta(days=r.randint(-5, 20))
            planned[code] = max(target, planning_on, s.signed_on)
        previous = None
        for code in codes:  # a plan reads in lifecycle order
            if code in planned:
                if previous and planned[code] < previous:
                    planned[code] = previous
                previous = planned[code]
        self.planned = planned
        for code, on in planned.items():
            s.add(planning_on, "milestone_planned", ("team", 0), milestone=code, planned_on=on)
        # A replan of a milestone later reached: it slipped, and was put back with a reason.
        candidates = [c for c in planned if c in self.reached
                      and (self.reached[c] - planning_on).days >= 10]
        if candidates and r.random() < 0.45:
            code = r.choice(candidates)
            reached = self.reached[code]
            replan_raw = reached - timedelta(days=r.randint(3, 9))
            new = reached + timedelta(days=r.randint(0, 6))
            if self.at(replan_raw) > planning_on and new != planned[code]:
                s.add(self.at(replan_raw), "milestone_planned", "chief", milestone=code,
                      planned_on=new, reason=r.choice([
                          "受连续降雨影响，工期顺延", "设计方案调整，节点相应调整",
                          "前置审批办理时间延长，重新排期", "企业加快建设进度，节点提前"]))
        # A resumed project replans its next milestone after the gap.
        if self.plan.status == "resumed" and self.k < len(codes):
            code = codes[self.k]
            new = self.today + timedelta(days=r.randint(20, 60))
            if new != planned[code]:
                s.add(self.window[1], "milestone_planned", "chief", prio=1, milestone=code,
                      planned_on=new, reason="项目停工期间节点顺延，复工后重新排期")

    def reach(self) -> None:
        r, s = self.rng, self.s
        for code, raw in self.reached.items():
            key = None
            on = self.at(raw)
            if self.plan.correct_milestone and code == "operating":
                key = "wrong-milestone"
                wrong = self.at(raw + timedelta(days=r.randint(3, 5)))
                if wrong == on:
                    wrong = self.at(on + timedelta(days=3))
                s.add(wrong, "milestone_reached", ("team", 0), key=key, milestone=code,
                      note=_MILESTONE_NOTES[code])
                s.add(self.at(wrong + timedelta(days=r.randint(1, 3))), "corrected",
                      r.choice(OFFICES), corrects_version=_Ref(key), action="amend",
                      reason="达产日期录入有误，据企业达产报告更正",
                      changes={"occurred_on": on.isoformat()})
                continue
            s.add(on, "milestone_reached", ("team", 0), milestone=code,
                  note=_MILESTONE_NOTES[code])

    def windows(self):
        """(milestone, raw start, raw end) windows in which its approval items are handled."""
        previous = self.s.signed_on
        dates = self.reached | self.projected
        for code in self.codes:
            yield code, previous, dates[code]
            previous = dates[code]

    def approvals(self) -> None:
        r, s = self.rng, self.s
        n = 0
        rejected = False
        for code, start, stop in self.windows():
            if start > self.end:
                break
            pool = list(_APPROVALS.get(code, []))
            if code == "production_started" and s.industry in _PRODUCTION_APPROVALS:
                pool.append(_PRODUCTION_APPROVALS[s.industry])
            if not pool:
                continue
            if code == "construction_permitted":
                items = pool[:1] + r.sample(pool[1:-1], r.randint(2, 5)) + pool[-1:]
                if self.plan.reject and code in self.reached:
                    if not any(i in _REJECT_REASONS for i, _ in items):
                        items.insert(1, pool[1])
                    rejected_item = next(i for i, _ in items if i in _REJECT_REASONS)
            elif len(pool) > 1:
                items = r.sample(pool, r.randint(1, len(pool)))
            else:
                items = pool if r.random() < 0.85 or code == "project_filed" else []
            length = max((stop - start).days, 1)
            for item, department in items:
                n += 1
                approval_id = f"AP-{n:02d}"
                applied = self.days(start, length * r.uniform(0.0, 0.5))
                granted = self.days(applied, min(length * r.uniform(0.1, 0.5), 30))
                granted = min(max(granted, applied), stop)
                if (self.plan.reject and not rejected and code == "construction_permitted"
                        and code in self.reached and item == rejected_item):
                    rejected = True
                    rejected_on = self.days(start, length * 0.3)
                    s.add(self.at(start), "approval_applied", ("team", 1),
                          approval_id=approval_id, item=item, department=department,
                          note="代办员代为申报")
                    s.add(self.at(rejected_on), "approval_rejected", ("team", 1),
                          approval_id=approval_id, reason=_REJECT_REASONS[item])
                    n += 1
                    approval_id = f"AP-{n:02d}"
                    applied = self.days(start, length * 0.5)
                    granted = self.days(start, length * 0.8)
                    note = "整改后重新申报"
                else:
                    note = r.choice([None, "代办员代为申报", "周二并联审批集中受理", "容缺受理"])
                s.add(self.at(applied), "approval_applied", ("team", 1), approval_id=approval_id,
                      item=item, department=department, note=note)
                if code in _MISSING_DOCUMENTS and r.random() < 0.25:  # 容缺审批 + 承诺制
                    due = granted + timedelta(days=r.randint(15, 45))
                    s.add(self.at(granted), "approval_granted", ("team", 1),
                          approval_id=approval_id,
                          missing_documents=r.choice(_MISSING_DOCUMENTS[code]),
                          commitment_due_on=self.at(due), note="容缺审批，企业书面承诺限期补齐")
                    if r.random() < 0.8:
                        s.add(self.at(granted + timedelta(days=r.randint(5, 55))),
                              "commitment_fulfilled", ("team", 2), approval_id=approval_id,
                              note="企业已按承诺补齐材料")
                else:
                    s.add(self.at(granted), "approval_granted", ("team", 1),
                          approval_id=approval_id)

    def phase_on(self, raw: date) -> str:
        phase = "signing"
        for code, d in self.reached.items():
            if d <= raw:
                phase = MILESTONES[code]
        return phase

    def problems(self) -> None:
        r, s = self.rng, self.s
        room = (self.end - s.signed_on).days
        if room < 6:
            return
        count = r.randint(1, 3) + (1 if s.investment >= 1_000_000_000 else 0)
        raised_days = sorted(r.randint(3, room - 1) for _ in range(count))
        reopen = self.plan.reopen  # the first problem with a plan comes back once
        for n, day in enumerate(raised_days, 1):
            problem_id = f"PB-{n:02d}"
            raised = self.days(s.signed_on, day)
            if r.random() < 0.22:
                title, description, unit = r.choice(_SAME_DAY_PROBLEMS)
                on = self.at(raised)
                s.add(on, "problem_raised", ("team", n), problem_id=problem_id, title=title,
                      description=description, same_day=True, responsible_unit=unit)
                s.add(on, "problem_resolved", ("team", n), problem_id=problem_id,
                      resolution="当天协调办结，不过夜")
                continue
            title, description, unit = r.choice(_PROBLEMS[self.phase_on(raised)])
            s.add(self.at(raised), "problem_raised", ("team", n), problem_id=problem_id,
                  title=title, description=description, responsible_unit=unit)
            planned = raised + timedelta(days=r.randint(0, 2))
            due = planned + timedelta(days=r.randint(7, 40))
            s.add(self.at(planned), "problem_plan_proposed", "chief", problem_id=problem_id,
                  plan=r.choice(_PLANS), due_on=self.at(due))
            cursor = planned
            if r.random() < 0.35:
                cursor = planned + timedelta(days=r.randint(1, 6))
                if r.random() < 0.45:
                    leader = s.leader or r.choice(LEADERS)
                    s.add(self.at(cursor), "problem_escalated", "chief", problem_id=problem_id,
                          escalated_to="leader", leader=leader,
                          note="问题涉及多个部门，提请县领导领题破解")
                    s.add(self.at(cursor + timedelta(days=r.randint(0, 3))), "instruction_given",
                          leader, problem_id=problem_id,
                          instruction=r.choice(_PROBLEM_INSTRUCTIONS))
                else:
                    s.add(self.at(cursor), "problem_escalated", "chief", problem_id=problem_id,
                          escalated_to="office", note="提请代办服务中心协调督办")
            resolved = due + timedelta(days=r.randint(-5, 15))
            follow = cursor + timedelta(days=r.randint(5, 10))
            followups = 0
            while follow < resolved and followups < 4:
                s.add(self.at(follow), "problem_followed_up", ("team", n + followups),
                      problem_id=problem_id, note=r.choice(_FOLLOW_UPS))
                followups += 1
                follow += timedelta(days=r.randint(5, 10))
            resolved = max(resolved, cursor)
            s.add(self.at(resolved), "problem_resolved", ("team", n), problem_id=problem_id,
                  resolution=r.choice(_RESOLUTIONS))
            if reopen:
                reopen = False
                reopened = resolved + timedelta(days=r.randint(3, 12))
                s.add(self.at(reopened), "problem_reopened", ("team", n), problem_id=problem_id,
                      reason="问题出现反复，企业再次反映")
                s.add(self.at(reopened + timedelta(days=r.randint(4, 8))), "problem_followed_up",
                      "chief", problem_id=problem_id, note="责任单位再次上门处理")
                s.add(self.at(reopened + timedelta(days=r.randint(9, 20))), "problem_resolved",
                      "chief", problem_id=problem_id, resolution="彻底整改到位，企业确认")

    def spent(self, raw: date) -> float:
        """The share of the investment spent by a raw date."""
        knots = [(self.s.signed_on, 0.0)] + [
            (d, _SPENT[c]) for c, d in self.reached.items() if c in _SPENT]
        upcoming = [(d, _SPENT[c]) for c, d in self.projected.items() if c in _SPENT]
        for (d0, f0), (d1, f1) in zip(knots, knots[1:]):
            if d0 <= raw <= d1:
                return f0 + (f1 - f0) * (raw - d0).days / max((d1 - d0).days, 1)
        d0, f0 = knots[-1]
        if not upcoming or raw < d0:
            return f0
        d1, f1 = upcoming[0]
        return f0 + (f1 - f0) * min(0.9, (raw - d0).days / max((d1 - d0).days, 1))

    def progress(self) -> None:
        r, s = self.rng, self.s
        month = date(s.signed_on.year, s.signed_on.month, 25) + timedelta(days=31)
        month = month.replace(day=25)
        reported = 0
        while month <= self.end:
            value = _money(s.investment * self.spent(month) * 0.98)
            if value > reported:
                s.add(self.at(month), "progress_reported", ("team", 0),
                      investment_completed=value, note=r.choice(
                          [None, "按月报送", "据企业财务报表核实", "含设备购置款"]))
                reported = value
            month = (month + timedelta(days=31)).replace(day=25)

    def visits(self) -> None:
        r, s = self.rng, self.s
        raw = self.days(s.signed_on, r.randint(5, 20))
        n = 0
        corrected = False
        while raw <= self.end:
            n += 1
            phase = self.phase_on(raw)
            fields = {"purpose": r.choice(_VISIT_PURPOSES[phase]),
                      "met_with": r.choice(_MET_WITH)}
            wrong = self.at(raw + timedelta(days=r.randint(2, 6)))
            correction_on = self.at(wrong + timedelta(days=r.randint(1, 6)))
            if (self.plan.correct_visit and not corrected and n >= 3
                    and wrong > self.at(raw) and correction_on <= self.end):
                corrected = True
                s.add(wrong, "visit_logged", ("team", n), key="wrong-visit", **fields)
                s.add(correction_on, "corrected", r.choice(OFFICES),
                      corrects_version=_Ref("wrong-visit"), action="amend",
                      reason="走访日期录入有误，据走访记录表更正",
                      changes={"occurred_on": self.at(raw).isoformat()})
            else:
                s.add(self.at(raw), "visit_logged", ("team", n), **fields)
            raw += timedelta(days=r.randint(20, 45))

    def instructions(self) -> None:
        r, s = self.rng, self.s
        room = (self.end - s.signed_on).days
        if room < 10:
            return
        for _ in range(r.randint(1, 2)):
            # Instructions come out of the Monday dispatch (一周一调度).
            raw = max(_monday(self.days(s.signed_on, r.randint(7, room))), s.signed_on)
            leader = self.team_of(self.at(raw))[2] or (
                "luowen" if s.investment >= 300_000_000 else None)
            if leader:
                s.add(self.at(raw), "instruction_given", leader,
                      instruction=r.choice(_INSTRUCTIONS))

    def ratings(self) -> None:
        r, s = self.rng, self.s
        raw = self.days(s.signed_on, r.randint(60, 100))
        while raw <= self.end:
            rating = r.choices([5, 4, 3], weights=[6, 3, 1])[0]
            s.add(self.at(raw), "service_rated", r.choice(OFFICES), rating=rating,
                  agent=_CHIEF, comment=r.choice(_RATING_COMMENTS[rating]))
            raw += timedelta(days=r.randint(80, 110))

    def status_end(self) -> None:
        s, r = self.s, self.rng
        if self.plan.status == "suspended":
            s.add(s.horizon, "suspended", "chief", prio=9, reason=r.choice(_SUSPEND_REASONS))
        elif self.plan.status == "terminated":
            s.add(s.horizon, "terminated", "chief", prio=9, reason=r.choice(_TERMINATE_REASONS))
        elif self.plan.status == "resumed":
            a, b = self.window
            s.add(a, "suspended", "chief", prio=9, reason=_SUSPEND_REASONS[0])
            s.add(b, "resumed", "chief", prio=0, note="融资到位，项目复工")


# ---- the two projects of the seed ----------------------------------------------------------

def _luli(today: date) -> _Script:
    """江西鲁丽绿色新材料科技产业园: signing to construction in 7 months."""
    s0 = _monday(today - timedelta(days=330))  # day n falls on a working day when n % 7 < 5

    def d(n: int) -> date:
        return s0 + timedelta(days=n)

    s = _Script("江西鲁丽绿色新材料科技产业园", "鲁丽集团", "新材料", 10_000_000_000,
                "安福工业园", "zhangwei", ["liuyang", "wangfang"], "liujianguo", s0, today)
    plan = {"park_review_passed": 3, "project_filed": 10, "land_approved": 90,
            "land_cleared": 100, "land_delivered": 110, "construction_permitted": 200,
            "construction_started": 240, "completion_accepted": 560,
            "production_started": 600, "operating": 700}
    for code, n in plan.items():
        s.add(d(1), "milestone_planned", "zhangwei", milestone=code, planned_on=d(n))
    s.add(d(2), "milestone_reached", "zhangwei", milestone="park_review_passed",
          note="分管县领导召集11个部门入园会审，集中联合评审、同步出具审批意见")
    s.add(d(3), "approval_applied", "liuyang", approval_id="AP-01", item="企业投资项目备案",
          department="县发展和改革委员会")
    s.add(d(4), "approval_granted", "liuyang", approval_id="AP-01")
    s.add(d(4), "milestone_reached", "zhangwei", milestone="project_filed")
    s.add(d(7), "instruction_given", "liujianguo",
          instruction="鲁丽项目是百亿级重大项目，成立专班，我亲自挂帅，各部门全力以赴")
    s.add(d(8), "team_assigned", "office", chief_agent="zhangwei",
          co_agents=["liuyang", "wangfang", "ouyanghui"], leader="liujianguo",
          reason="成立鲁丽项目专班，县主要领导挂帅，增派代办员欧阳辉负责用地报批")
    land = [("AP-02", "土地利用总体规划调整", "江西省自然资源厅", 8, 39),
            ("AP-03", "成片开发方案报批", "江西省人民政府", 9, 44),
            ("AP-04", "使用林地审核同意书", "江西省林业局", 10, 46),
            ("AP-05", "节能审查意见", "江西省发展和改革委员会", 14, 50),
            ("AP-06", "农用地转用和土地征收审批（用地报批）", "江西省自然资源厅", 15, 52)]
    for approval_id, item, department, applied, _ in land:
        s.add(d(applied), "approval_applied", "ouyanghui", approval_id=approval_id, item=item,
              department=department, note="县主要领导赴省直单位汇报对接，省市联动推进")
    s.add(d(10), "visit_logged", "zhangwei", purpose="对接征地范围和用地报批材料",
          met_with="鲁丽集团项目负责人")
    s.add(d(21), "milestone_planned", "zhangwei", milestone="land_approved", planned_on=d(56),
          reason="专班倒排工期：用地报批压缩至两个月内完成（正常流程约8个月至1年）")
    for approval_id, _, _, _, granted in land:
        s.add(d(granted), "approval_granted", "ouyanghui", approval_id=approval_id)
    s.add(d(53), "milestone_reached", "zhangwei", milestone="land_approved",
          note="不到两个月完成土地规划调整、成片开发方案报批、用地报批")
    s.add(d(30), "progress_reported", "zhangwei", investment_completed=50_000_000,
          note="前期工作经费")
    s.add(d(45), "visit_logged", "wangfang", purpose="了解征地进展，启动1250亩征地",
          met_with="鲁丽集团项目负责人")
    # 51 households / 54 buildings cleared in 10 days.
    s.add(d(56), "problem_raised", "wangfang", problem_id="PB-01",
          title="51户54栋房屋征迁", responsible_unit="所在乡镇人民政府",
          description="项目红线内有51户54栋房屋需拆迁，是交地的关键")
    s.add(d(57), "problem_plan_proposed", "zhangwei", problem_id="PB-01", due_on=d(66),
          plan="乡镇、自然资源、公安等部门组成拆迁工作组，一户一策，10天内完成")
    s.add(d(57), "problem_escalated", "zhangwei", problem_id="PB-01", escalated_to="leader",
          leader="liujianguo", note="拆迁涉及面广，提请县主要领导领题")
    s.add(d(58), "instruction_given", "liujianguo", problem_id="PB-01",
          instruction="依法依规、阳光征迁，10天内完成全部房屋拆迁")
    s.add(d(60), "problem_followed_up", "wangfang", problem_id="PB-01",
          note="已签订协议32户，拆除房屋30栋")
    s.add(d(63), "problem_followed_up", "wangfang", problem_id="PB-01",
          note="已签订协议49户，拆除房屋50栋")
    s.add(d(66), "problem_resolved", "wangfang", problem_id="PB-01",
          resolution="10天完成51户54栋房屋拆迁")
    s.add(d(59), "progress_reported", "zhangwei", investment_completed=180_000_000,
          note="支付征地补偿款")
    s.add(d(91), "progress_reported", "zhangwei", investment_completed=420_000_000,
          note="征地补偿款及场地平整")
    s.add(d(95), "milestone_reached", "zhangwei", milestone="land_cleared",
          note="3个月完成征地1250多亩")
    s.add(d(100), "approval_applied", "ouyanghui", approval_id="AP-07",
          item="不动产权证书（交地即交证）", department="县不动产登记中心")
    s.add(d(105), "approval_granted", "ouyanghui", approval_id="AP-07")
    s.add(d(105), "milestone_reached", "zhangwei", milestone="land_delivered",
          note="交地即交证")
    # Power lines: 190 towers, 18.5 km, in under 40 days instead of 3 months.
    s.add(d(100), "problem_raised", "liuyang", problem_id="PB-02",
          title="电力线路杆线迁移（190基杆塔、18.5公里）",
          responsible_unit="国网安福县供电公司",
          description="项目涉及110kV、35kV、10kV三个电压等级190基杆塔、18.5公里电力线路迁移，"
                      "原计划施工工期3个月")
    s.add(d(101), "problem_plan_proposed", "zhangwei", problem_id="PB-02", due_on=d(139),
          plan="供电公司成立迁改专班，分段同步施工，停电计划报市公司优先安排，40天内完成")
    s.add(d(102), "problem_escalated", "zhangwei", problem_id="PB-02", escalated_to="leader",
          leader="liujianguo", note="需省市电力公司支持，提请县主要领导协调")
    s.add(d(105), "instruction_given", "liujianguo", problem_id="PB-02",
          instruction="我向市供电公司汇报，争取停电窗口，迁改工期压缩到40天以内")
    for n, note in [(108, "已完成新建杆塔基础60基"), (115, "已完成立塔110基、架线6公里"),
                    (122, "已完成立塔170基、架线13公里"), (129, "110kV线路停电切改完成")]:
        s.add(d(n), "problem_followed_up", "liuyang", problem_id="PB-02", note=note)
    s.add(d(137), "problem_resolved", "liuyang", problem_id="PB-02",
          resolution="不到40天完成190基杆塔、18.5公里电力线路迁移，比原计划缩短近两个月")
    construction = [("AP-08", "建设用地规划许可证", "县自然资源局", 106, 108, None),
                    ("AP-09", "环境影响评价批复", "吉安市生态环境局", 60, 150, None),
                    ("AP-10", "建设工程规划许可证", "县自然资源局", 130, 140, None),
                    ("AP-11", "施工图设计文件审查", "县住房和城乡建设局", 161, 179, None),
                    ("AP-12", "消防设计审查", "县住房和城乡建设局", 164, 184,
                     (["消防设计专篇补充材料"], 214, 199)),
                    ("AP-13", "建筑工程施工许可证", "县住房和城乡建设局", 190, 203,
                     (["农民工工资保证金缴纳凭证"], 360, None))]
    for approval_id, item, department, applied, granted, commitment in construction:
        s.add(d(applied), "approval_applied", "liuyang", approval_id=approval_id, item=item,
              department=department)
        if commitment:
            missing, due, fulfilled = commitment
            s.add(d(granted), "approval_granted", "liuyang", approval_id=approval_id,
                  missing_documents=missing, commitment_due_on=d(due),
                  note="容缺审批 + 承诺制")
            if fulfilled:
                s.add(d(fulfilled), "commitment_fulfilled", "liuyang",
                      approval_id=approval_id, note="企业按承诺补齐材料")
        else:
            s.add(d(granted), "approval_granted", "liuyang", approval_id=approval_id)
    s.add(d(120), "milestone_planned", "zhangwei", milestone="construction_started",
          planned_on=d(210), reason="电力迁改提前完成，开工节点提前一个月")
    s.add(d(121), "progress_reported", "zhangwei", investment_completed=560_000_000)
    s.add(d(150), "progress_reported", "zhangwei", investment_completed=640_000_000,
          note="场地平整、临时设施")
    s.add(d(151), "service_rated", "office", rating=5, agent="zhangwei",
          comment="专班服务，要素保障有力，企业非常满意")
    s.add(d(182), "progress_reported", "zhangwei", investment_completed=700_000_000)
    s.add(d(203), "milestone_reached", "zhangwei", milestone="construction_permitted")
    s.add(d(210), "milestone_reached", "zhangwei", milestone="construction_started",
          note="从签约到开工仅用7个月，比正常流程缩短1年半")
    completed = 700_000_000
    for n in range(217, 330, 28):
        completed += 260_000_000
        s.add(d(n), "progress_reported", "zhangwei", investment_completed=completed,
              note="主体厂房建设")
    for n in range(130, 330, 21):
        s.add(d(n), "visit_logged", ["zhangwei", "liuyang", "wangfang", "ouyanghui"][n % 4],
              purpose="查看施工进度，协调要素保障", met_with="鲁丽集团项目负责人")
    s.add(d(240), "instruction_given", "liujianguo",
          instruction="月督查：鲁丽项目进度符合预期，专班要继续保持节奏，确保年底主体封顶")
    s.add(d(245), "service_rated", "office2", rating=5, agent="zhangwei",
          comment="从签约到开工仅7个月，感谢专班全程帮办")
    s.add(d(301), "problem_raised", "ouyanghui", problem_id="PB-03",
          title="施工高峰期用工缺口", responsible_unit="县人力资源和社会保障局",
          description="主体施工高峰期，施工单位用工缺口约800人")
    s.add(d(302), "problem_plan_proposed", "zhangwei", problem_id="PB-03", due_on=d(345),
          plan="人社局组织专场招聘会，乡镇摸排富余劳动力，分批输送")
    s.add(d(310), "problem_followed_up", "ouyanghui", problem_id="PB-03",
          note="专场招聘会已举办，到岗约300人")
    s.add(d(324), "problem_followed_up", "ouyanghui", problem_id="PB-03",
          note="累计到岗约520人，继续组织输送")
    return s


def _peimei(today: date) -> _Script:
    """佩玫标准厂房: 13 departments' approvals in 5 days, from a Tuesday's parallel approval."""
    s0 = _monday(today - timedelta(days=250))
    tuesday = s0 + timedelta(days=8)  # the next week's Tuesday: parallel approval day

    def d(n: int) -> date:
        return s0 + timedelta(days=n)

    def t(n: int) -> date:
        return tuesday + timedelta(days=n)

    s = _Script("佩玫标准厂房（3万平方米）", "江西佩玫实业有限公司", "纺织服装", 150_000_000,
                "安福工业园", "lijing", ["pengtao", "xuli"], None, s0, today)
    for code, on in [("park_review_passed", d(3)), ("project_filed", t(0)),
                     ("land_approved", t(5)), ("land_delivered", t(10)),
                     ("construction_permitted", t(20)), ("construction_started", t(25)),
                     ("completion_accepted", t(160)), ("production_started", t(180)),
                     ("operating", t(230))]:
        s.add(d(1), "milestone_planned", "lijing", milestone=code, planned_on=on)
    s.add(d(3), "milestone_reached", "lijing", milestone="park_review_passed")
    s.add(d(4), "visit_logged", "lijing", purpose="统一收集企业审批事项需求，准备周二并联审批",
          met_with="佩玫公司总经理")
    items = [  # (item, department, days after the Tuesday it is granted)
        ("企业投资项目备案", "县发展和改革委员会", 0),
        ("建设用地规划许可证", "县自然资源局", 1),
        ("不动产权证书（交地即交证）", "县不动产登记中心", 2),
        ("环境影响登记表备案", "吉安市安福生态环境局", 0),
        ("水土保持方案审批", "县水利局", 0),
        ("防雷装置设计审核", "县气象局", 1),
        ("人防易地建设审批", "县人民防空办公室", 0),
        ("安全条件审查", "县应急管理局", 1),
        ("建筑垃圾处置核准", "县城市管理局", 0),
        ("施工临时用电报装", "国网安福县供电公司", 2),
        ("临时占道施工许可", "县交通运输局", 0),
        ("文物考古调查意见", "县文化广电新闻出版旅游局", 3),
        ("建筑工程施工许可证", "县住房和城乡建设局", 4),
    ]
    for n, (item, department, _) in enumerate(items, 1):
        s.add(t(0), "approval_applied", ["lijing", "pengtao", "xuli"][n % 3],
              approval_id=f"AP-{n:02d}", item=item, department=department,
              note="周二并联审批：相关部门集中办公，现场办理")
    for n, (_, _, after) in sorted(enumerate(items, 1), key=lambda x: x[1][2]):
        s.add(t(after), "approval_granted", ["lijing", "pengtao", "xuli"][n % 3],
              approval_id=f"AP-{n:02d}", note="当日审批" if after == 0 else None)
    s.add(t(0), "milestone_reached", "lijing", milestone="project_filed")
    s.add(t(1), "milestone_reached", "lijing", milestone="land_approved")
    s.add(t(2), "milestone_reached", "lijing", milestone="land_delivered", note="交地即交证")
    s.add(t(4), "milestone_reached", "lijing", milestone="construction_permitted",
          note="5天完成13个单位的项目审批，比正常办理时间减少35个工作日")
    s.add(t(6), "milestone_reached", "lijing", milestone="construction_started",
          note="拿地即开工")
    s.add(t(8), "problem_raised", "pengtao", problem_id="PB-01", title="施工临时用电接入",
          same_day=True, responsible_unit="国网安福县供电公司",
          description="桩机进场，临时用电需当天接通")
    s.add(t(8), "problem_resolved", "pengtao", problem_id="PB-01",
          resolution="供电公司当天完成接电，不过夜")
    s.add(t(30), "service_rated", "office", rating=5, agent="lijing",
          comment="5天办完13个单位的审批，真正零跑腿")
    s.add(t(150), "milestone_reached", "lijing", milestone="completion_accepted",
          note="完工即验收")
    s.add(t(171), "milestone_reached", "lijing", milestone="production_started")
    spent = 0
    for n in range(20, (today - tuesday).days, 28):
        spent = min(150_000_000, spent + 18_000_000)
        s.add(t(n), "progress_reported", "lijing", investment_completed=spent)
    for n in range(41, (today - tuesday).days, 35):
        s.add(t(n), "visit_logged", ["lijing", "pengtao", "xuli"][n % 3],
              purpose="查看厂房建设和招租情况", met_with="佩玫公司总经理")
    s.add(t(199), "service_rated", "office2", rating=4, agent="lijing",
          comment="服务到位，希望园区配套再完善")
    return s


# ---- choosing the plans ------------------------------------------------------------------

def _plans(rng: random.Random) -> list[_Plan]:
    entries = list(_PROJECTS)
    phases = (["operation"] * 14 + ["construction"] * 20 + ["land"] * 14 + ["signing"] * 10)
    rng.shuffle(phases)
    plans = [_Plan(i, name, investor, industry, phase)
             for i, ((name, investor, industry), phase) in enumerate(zip(entries, phases))]
    # The seed's other two projects: 海能科创园 (5 billion) and 融贤科技 (reviewed in 10 minutes).
    plans[0].phase, plans[0].investment, plans[0].leader = "construction", 5_000_000_000, True
    plans[1].phase, plans[1].same_day_review = "operation", True
    plans[1].investment = 800_000_000
    free = [p for p in plans[2:]]

    def take(where, n: int) -> list[_Plan]:
        chosen = rng.sample([p for p in free if where(p)], n)
        for p in chosen:
            free.remove(p)
        return chosen

    for p in take(lambda p: p.phase in ("land", "construction"), 3):
        p.status = "suspended"
    for p in take(lambda p: p.phase == "construction", 1):
        p.status = "resumed"
    for p in take(lambda p: p.phase == "signing", 1) + take(lambda p: p.phase == "land", 1):
        p.status = "terminated"
    for p in take(lambda p: p.phase in ("construction", "operation"), 2):
        p.reject = True
    for p in take(lambda p: p.phase == "operation", 1):
        p.correct_milestone = True
    for p in take(lambda p: p.phase in ("construction", "operation"), 1):
        p.correct_visit = True
    active = [p for p in plans if p.status == "active"]
    for p in rng.sample(active, 12):
        p.team_change = True
    for p in rng.sample([p for p in active if p.phase != "operation"], 10):
        p.overdue = True
    for p in rng.sample(plans, 3):
        p.reopen = True
    return plans


# ---- playing -----------------------------------------------------------------------------

def load_demo(service: Banban, *, today: date, hash_password: Callable[[str], str],
              seed: int = 2026) -> dict[str, int]:
    """Register the demo accounts and play the demo county's year into the service.

    `today` bounds every business date (the service's own clock too, if it is earlier).
    Expects a store without these accounts. Returns {"projects", "events", "users"} counts.
    """
    today = min(today, service.clock())
    rng = random.Random(seed)
    password_hash = hash_password(DEMO_PASSWORD)
    for username, role, display_name in _ACCOUNTS:
        service.register_user(username, role, actor="demo", display_name=display_name,
                              password_hash=password_hash)
    scripts = [_luli(today), _peimei(today)]
    for plan in _plans(rng):
        scripts.append(_Generic(plan, random.Random(rng.getrandbits(64)), today).build())
    scripts.sort(key=lambda s: s.signed_on)  # stable: equal dates keep their order

    queue = []
    for order, script in enumerate(scripts):
        for step in script.ordered():
            queue.append((step.on, order, step.prio, step.seq, step))
    queue.sort(key=lambda entry: entry[:4])

    state: dict[int, dict[str, Any]] = {}
    for _, order, _, _, step in queue:
        script = scripts[order]
        if step.event_type == "signed":
            view = service.sign_project("office", signed_on=step.on, **step.fields)
            state[order] = {"id": view["id"], "version": view["version"], "versions": {},
                            "chief": script.chief, "co_agents": list(script.co_agents)}
            continue
        st = state[order]
        actor = step.actor
        team = [st["chief"], *st["co_agents"]]
        if actor == "chief":
            actor = st["chief"]
        elif isinstance(actor, tuple):
            actor = team[actor[1] % len(team)]
        fields = {}
        for name, value in step.fields.items():
            if isinstance(value, _Ref):
                value = st["versions"][value.key]
            elif value is _CHIEF:
                value = st["chief"]
            fields[name] = value
        result = service.record(st["id"], actor, step.event_type,
                                expected_version=st["version"], occurred_on=step.on,
                                fields=fields)
        st["version"] = result["version"]
        if step.key:
            st["versions"][step.key] = result["version"]
        if step.event_type == "team_assigned":
            st["chief"], st["co_agents"] = fields["chief_agent"], list(fields["co_agents"])
    return {"projects": len(scripts), "events": len(queue), "users": len(_ACCOUNTS)}
