"""Demo clusters in the shape of seed 000: about 35 established clusters joining about 115 of the
county's 754 villages, plus proposals in every other state — one of them short of the rule by one form.

Everything goes through the services, as the township cadres and the county office would.
"""

from __future__ import annotations

import datetime

from lianchun import clock
from lianchun.demodata import DemoContext
from villages.models import PartnerUnit, Standing

from . import consent, services
from .models import ClusterOfficer, ConsentOpinion, Form, Kind

CLUSTER_SUFFIX = "联村"
# Established clusters per township (35 in all) and members per cluster (115 villages in all).
ESTABLISHED_PER_TOWNSHIP = [3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]
KINDS = [Kind.STRONG_WEAK, Kind.STRONG_WEAK, Kind.INDUSTRY, Kind.BRAND, Kind.STRONG_WEAK]
OPINIONS = [
    (
        "担心联村后本村土地和集体资产被统一调配。",
        "联村不合并村，各村土地、集体资产和债权债务保持不变，已在章程中写明。",
    ),
    ("希望联村后统一修建通往集市的道路。", "已列入联村工作规划第一年重点项目。"),
    ("建议联村委员会中每个村都有代表。", "联村委员会由各成员村推选代表组成，已采纳。"),
]
# Which of the established clusters are urban–rural joint organisations: one with a community (村居联建),
# one with an enterprise (村企联建), one with a county department (部门村庄联建), the partners' first three.
JOINT_AT = (4, 17, 28)
PARTNER_KINDS = {
    PartnerUnit.Kind.COMMUNITY: Kind.VILLAGE_COMMUNITY,
    PartnerUnit.Kind.ENTERPRISE: Kind.VILLAGE_ENTERPRISE,
    PartnerUnit.Kind.DEPARTMENT: Kind.DEPARTMENT_VILLAGE,
}


def _on(ctx: DemoContext, days_ago: int):
    """Run the block with the product clock set `days_ago` days before the demo's today, so proposals,
    batches and every step of the timeline carry plausible dates."""
    return clock.on(ctx.today - datetime.timedelta(days=days_ago))


def _consent(ctx, cadre, cluster, *, days_ago: int, short_by: dict | None = None, batches: int = 2) -> None:
    """Hand out a form per household and bring them back in batches, passing unless `short_by` says otherwise."""
    rng = ctx.rng
    short_by = short_by or {}
    for survey, _tally in services.member_tallies(cluster):
        households = survey.village.households
        with _on(ctx, days_ago + 1):
            services.set_forms_handed_out(survey=survey, handed_out=households, by=cadre)
        if survey.village.pk in short_by:
            agree_total = consent.forms_needed(0, households) - short_by[survey.village.pk]
        else:
            agree_total = min(households, consent.forms_needed(0, households) + rng.randint(5, max(6, households // 8)))
        returned_total = min(households, agree_total + rng.randint(3, 20))
        rest = returned_total - agree_total
        invalid_total = min(rest, rng.randint(0, 4))
        disagree_total = rest - invalid_total
        split = [(agree_total, disagree_total, invalid_total)]
        if batches > 1:
            first = (agree_total * 3 // 5, disagree_total // 2, invalid_total // 2)
            split = [first, (agree_total - first[0], disagree_total - first[1], invalid_total - first[2])]
        for number, (agree, disagree, invalid) in enumerate(split):
            returned = agree + disagree + invalid
            if returned == 0:
                continue
            with _on(ctx, days_ago - 5 * number):
                services.record_consent_batch(
                    survey=survey,
                    returned=returned,
                    agree=agree,
                    disagree=disagree,
                    invalid=invalid,
                    batch_date=ctx.today - datetime.timedelta(days=days_ago - 5 * number),
                    note="入户发放、逐户回收" if number == 0 else "第二批回收",
                    by=cadre,
                )


def _officers(ctx, cadre, cluster, villages) -> None:
    rng = ctx.rng
    lead = villages[0]
    roles = [
        (ClusterOfficer.Body.PARTY_BRANCH, "书记", lead),
        (ClusterOfficer.Body.PARTY_BRANCH, "副书记", villages[1]),
        (ClusterOfficer.Body.COMMITTEE, "主任", lead),
        (ClusterOfficer.Body.WORK_GROUP, "组长", None),
    ]
    for body, post, village in roles:
        services.add_officer(
            cluster=cluster,
            body=body,
            name=ctx.person_name(),
            post=post,
            home_village=village,
            unit="" if village else f"{cluster.township.name}党委",
            phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            by=cadre,
        )


def _opinions(ctx, cadre, cluster, villages, *, days_ago: int, answered: bool = True, count: int = 0) -> None:
    for index, (content, answer) in enumerate(OPINIONS[: count or ctx.rng.randint(1, 3)]):
        with _on(ctx, days_ago):
            opinion = services.record_opinion(
                cluster=cluster,
                source=list(ConsentOpinion.Source)[index % 3],
                content=content,
                village=villages[index % len(villages)],
                received_on=ctx.today - datetime.timedelta(days=days_ago),
                by=cadre,
            )
        if answered:
            with _on(ctx, days_ago - 3):
                services.answer_opinion(opinion=opinion, answer=answer, by=cadre)


def _pick(ctx, pool: list, count: int) -> list:
    """Take `count` villages from the pool, the strongest first as the lead village."""
    chosen = [pool.pop(ctx.rng.randrange(len(pool))) for _ in range(count)]
    rank = {Standing.ADVANCED: 0, Standing.AVERAGE: 1, Standing.LAGGING: 2}
    return sorted(chosen, key=lambda v: rank[v.standing])


def _propose(
    ctx, cadre, villages, name, *, kind=Kind.STRONG_WEAK, form=Form.VILLAGE_CLUSTER, partner=None, pilot=False
):
    return services.propose_cluster(
        township=cadre.township,
        name=name,
        villages=villages,
        lead_village=villages[0],
        form=form,
        kind=kind,
        partner_unit=partner,
        is_pilot=pilot,
        reason_ties=True,
        reason_identity=True,
        reason_shared_interest=kind != Kind.STRONG_WEAK,
        reason_cluster_effect=pilot,
        selection_note="地缘相近、产业相连，群众往来密切。" if pilot else "",
        opinion="乡镇党委研究提出",
        by=cadre,
    )


def _establish(ctx, cadre, office, villages, name, *, days_ago: int, **kwargs):
    with _on(ctx, days_ago + 30):
        cluster = _propose(ctx, cadre, villages, name, **kwargs)
        services.start_consultation(
            cluster=cluster, by=cadre, opinion="召开党员干部联席会、群众座谈会，入户发放征求意见表"
        )
    _opinions(ctx, cadre, cluster, villages, days_ago=days_ago + 25)
    _consent(ctx, cadre, cluster, days_ago=days_ago + 20)
    with _on(ctx, days_ago + 10):
        services.submit_cluster(cluster=cluster, by=cadre, opinion="各村同意率均达到80%以上")
    with _on(ctx, days_ago):
        services.approve_cluster(cluster=cluster, by=office, opinion="同意组建")
        _officers(ctx, cadre, cluster, villages)
        services.update_cluster_documents(
            cluster=cluster,
            by=cadre,
            work_plan="一年打基础：建强联村党总支；两年见成效：发展联村产业；三年上台阶：集体经济收入翻番。",
            work_scope="联村党建、产业发展、基础设施、矛盾调解、民生服务。",
        )
    return cluster


def build(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    with _on(ctx, 500):
        services.update_model_charter(county=ctx.county, text=services.DEFAULT_MODEL_CHARTER, by=office)
    rng = ctx.rng
    pools = {}
    for index, township in enumerate(ctx.townships):
        pools[index] = list(township.villages.filter(voided_at__isnull=True).order_by("code"))
    partners = list(PartnerUnit.objects.filter(county=ctx.county).order_by("pk"))
    counter = 0
    sizes = [3] * 35
    for extra in rng.sample(range(35), 10):  # 35 clusters, 115 villages: 25 of three, 10 of four
        sizes[extra] = 4
    for index in range(len(ctx.townships)):
        cadre = ctx.township_cadre(index)
        for number in range(ESTABLISHED_PER_TOWNSHIP[index]):
            size = sizes[counter]
            villages = _pick(ctx, pools[index], size)
            kind = KINDS[counter % len(KINDS)]
            form, partner = Form.VILLAGE_CLUSTER, None
            if counter in JOINT_AT:  # urban–rural joint organisations of seed 004's three kinds
                form, partner = Form.URBAN_RURAL, partners[JOINT_AT.index(counter)]
                kind = PARTNER_KINDS[partner.kind]
            name = (
                f"{villages[0].name.removesuffix('村')}{CLUSTER_SUFFIX}"
                if form == Form.VILLAGE_CLUSTER
                else f"{partner.name}·{villages[0].name}城乡联建"
            )
            _establish(
                ctx,
                cadre,
                office,
                villages,
                name,
                days_ago=380
                - counter * 9,  # the first a year and more ago: every monthly inspection has clusters to visit
                kind=kind,
                form=form,
                partner=partner,
                pilot=number == 0,
            )
            counter += 1

    # Proposals in every other state, in the demo cadres' own townships.
    cadre1, cadre2 = ctx.township_cadre(0), ctx.township_cadre(1)
    # 马园联村 (seed 000): five villages, consultation house by house, one village short by a single form.
    villages = _pick(ctx, pools[1], 5)
    with _on(ctx, 16):
        maoyuan = _propose(ctx, cadre2, villages, "马园联村", pilot=True, kind=Kind.INDUSTRY)
        services.start_consultation(cluster=maoyuan, by=cadre2, opinion="入户发放征求意见表")
    _consent(ctx, cadre2, maoyuan, days_ago=12, short_by={villages[2].pk: 1})
    _opinions(ctx, cadre2, maoyuan, villages, days_ago=14, answered=False)

    with _on(ctx, 8):
        consulting = _propose(ctx, cadre1, _pick(ctx, pools[0], 3), "城关东片联村")
        services.start_consultation(cluster=consulting, by=cadre1)
    _consent(ctx, cadre1, consulting, days_ago=6, short_by={consulting.lead_village_id: 40}, batches=1)

    with _on(ctx, 2):
        _propose(ctx, cadre1, _pick(ctx, pools[0], 3), "城关西片联村", kind=Kind.BRAND)

    with _on(ctx, 25):
        south = _pick(ctx, pools[0], 3)
        submitted = _propose(ctx, cadre1, south, "城关南片联村", kind=Kind.INDUSTRY)
        services.start_consultation(cluster=submitted, by=cadre1)
    _consent(ctx, cadre1, submitted, days_ago=20)
    _opinions(ctx, cadre1, submitted, south, days_ago=18, count=2)  # a fixed count keeps the demo's draws
    with _on(ctx, 3):
        services.submit_cluster(cluster=submitted, by=cadre1, opinion="请县联村办审核")

    with _on(ctx, 35):
        returned = _propose(ctx, cadre2, _pick(ctx, pools[1], 4), "马园北片联村")
        services.start_consultation(cluster=returned, by=cadre2)
    _consent(ctx, cadre2, returned, days_ago=30)
    with _on(ctx, 20):
        services.submit_cluster(cluster=returned, by=cadre2)
    with _on(ctx, 10):
        services.return_cluster(
            cluster=returned, by=office, opinion="工作组成员未明确，联村工作规划过于笼统，请补充后重新报送。"
        )

    dissolved_villages = _pick(ctx, pools[2], 2)
    dissolved = _establish(ctx, ctx.township_cadre(2), office, dissolved_villages, "东坝河湾联村", days_ago=400)
    with _on(ctx, 60):
        services.dissolve_cluster(cluster=dissolved, by=office, opinion="两村已按区划调整合并，联村撤销。")
    ctx.extra["clusters"] = {"maoyuan": maoyuan, "returned": returned, "submitted": submitted}
    ctx.log(f"    clusters: {counter} established, 6 more in other states")
