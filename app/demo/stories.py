"""The two projects of the seed report, written by hand to follow its figures."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.catalogue import PARK_REVIEW_DEPARTMENTS
from app.demo.script import Script, monday
from domain.calendar import PACKAGE_CALENDAR


def luli(today: date) -> Script:
    """江西鲁丽绿色新材料科技产业园: signing to construction in 7 months."""
    s0 = monday(today - timedelta(days=330))  # day n falls on a working day when n % 7 < 5

    def d(n: int) -> date:
        return s0 + timedelta(days=n)

    s = Script("江西鲁丽绿色新材料科技产业园", "鲁丽集团", "新材料", 10_000_000_000,
               "安福工业园", "zhangwei", ["liuyang", "wangfang"], "liujianguo", s0, today)
    plan = {"park_review_passed": 3, "project_filed": 10, "land_approved": 90,
            "land_cleared": 100, "land_delivered": 110, "construction_permitted": 200,
            "construction_started": 240, "completion_accepted": 560,
            "production_started": 600, "operating": 700}
    for code, n in plan.items():
        s.add(d(1), "milestone_planned", "zhangwei", milestone=code, planned_on=d(n))
    numbers = s.joint_review(
        d(2), ["zhangwei", "liuyang", "wangfang"], PARK_REVIEW_DEPARTMENTS,
        conditions={"县林业局": {"text": "用地报批前落实林地占用指标", "party": "department",
                                 "department": "县林业局", "due_on": d(60).isoformat()},
                    "县发展和改革委员会": {"text": "节能审查意见批复后方可开工建设",
                                           "due_on": d(235).isoformat()}},
        note="分管县领导召集11个部门入园会审，集中联合评审、同步出具审批意见")
    s.condition_met(d(43), "wangfang", numbers["县林业局"], "林地占用指标已落实，县林业局出具意见")
    s.condition_met(d(228), "zhangwei", numbers["县发展和改革委员会"], "节能审查意见已批复")
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


def peimei(today: date) -> Script:
    """佩玫标准厂房: 13 departments' approvals in 5 days, from a Tuesday's parallel approval."""
    s0 = monday(today - timedelta(days=250))
    # The next week's Tuesday, the parallel approval day; a week later if it is a holiday.
    tuesday = s0 + timedelta(days=8)
    while not PACKAGE_CALENDAR.is_working_day(tuesday):
        tuesday += timedelta(days=7)

    def d(n: int) -> date:
        return s0 + timedelta(days=n)

    def t(n: int) -> date:
        return tuesday + timedelta(days=n)

    def w(n: int) -> date:
        """The n-th working day after the Tuesday (the dates move with today, over holidays
        too): its approval time, measured as the working days after the applications up to
        the last grant, is 5."""
        return PACKAGE_CALENDAR.add_working_days(tuesday, n)

    s = Script("佩玫标准厂房（3万平方米）", "江西佩玫实业有限公司", "纺织服装", 150_000_000,
               "安福工业园", "lijing", ["pengtao", "xuli"], None, s0, today)
    for code, on in [("park_review_passed", d(3)), ("project_filed", t(0)),
                     ("land_approved", t(5)), ("land_delivered", t(10)),
                     ("construction_permitted", t(20)), ("construction_started", t(25)),
                     ("completion_accepted", t(160)), ("production_started", t(180)),
                     ("operating", t(230))]:
        s.add(d(1), "milestone_planned", "lijing", milestone=code, planned_on=on)
    # Its condition is the firm's to show once operating: still open, not yet due.
    s.joint_review(d(3), ["lijing", "pengtao", "xuli"], PARK_REVIEW_DEPARTMENTS,
                   conditions={"县自然资源局": {"text": "投资强度不低于每亩300万元，容积率不低于1.2",
                                                "due_on": t(260).isoformat()}},
                   note="入园会审一次通过，进入周二并联审批")
    s.add(d(4), "visit_logged", "lijing", purpose="统一收集企业审批事项需求，准备周二并联审批",
          met_with="佩玫公司总经理")
    items = [  # (item, department, working days after the Tuesday it is granted)
        ("企业投资项目备案", "县发展和改革委员会", 0),
        ("建设用地规划许可证", "县自然资源局", 1),
        ("不动产权证书（交地即交证）", "县不动产登记中心", 2),
        ("环境影响登记表备案", "吉安市安福生态环境局", 0),
        ("水土保持方案审批", "县水利局", 0),
        ("防雷装置设计审核", "县气象局", 1),
        ("人防易地建设审批", "县人民防空办公室", 0),
        ("安全条件审查", "县应急管理局", 1),
        ("建筑垃圾处置核准", "县城市管理局", 0),
        ("施工临时用电报装", "国网安福县供电公司", 3),
        ("临时占道施工许可", "县交通运输局", 0),
        ("文物考古调查意见", "县文化广电新闻出版旅游局", 4),
        ("建筑工程施工许可证", "县住房和城乡建设局", 5),
    ]
    for n, (item, department, _) in enumerate(items, 1):
        s.add(t(0), "approval_applied", ["lijing", "pengtao", "xuli"][n % 3],
              approval_id=f"AP-{n:02d}", item=item, department=department,
              note="周二并联审批：相关部门集中办公，现场办理")
    for n, (_, _, after) in sorted(enumerate(items, 1), key=lambda x: x[1][2]):
        s.add(w(after), "approval_granted", ["lijing", "pengtao", "xuli"][n % 3],
              approval_id=f"AP-{n:02d}", note="当日审批" if after == 0 else None)
    s.add(t(0), "milestone_reached", "lijing", milestone="project_filed")
    s.add(w(1), "milestone_reached", "lijing", milestone="land_approved")
    s.add(w(2), "milestone_reached", "lijing", milestone="land_delivered", note="交地即交证")
    s.add(w(5), "milestone_reached", "lijing", milestone="construction_permitted",
          note="5天完成13个单位的项目审批，比正常办理时间减少35个工作日")
    s.add(w(6), "milestone_reached", "lijing", milestone="construction_started",
          note="拿地即开工")
    s.add(w(8), "problem_raised", "pengtao", problem_id="PB-01", title="施工临时用电接入",
          same_day=True, responsible_unit="国网安福县供电公司",
          description="桩机进场，临时用电需当天接通")
    s.add(w(8), "problem_resolved", "pengtao", problem_id="PB-01",
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
