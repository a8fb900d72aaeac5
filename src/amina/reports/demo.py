"""Demo step: publish a flash report for the latest round, once tracking data exists."""

from __future__ import annotations

from amina.lib.demo import DemoContext, step


@step(80, "reports")
def flash_report(ctx: DemoContext) -> dict:
    from amina.accounts.models import User
    from amina.geo.models import Governorate
    from amina.reports import figures, services
    from amina.reports.figures import NoData
    from amina.reports.models import Report

    try:
        rnd = figures.find_round(None)
    except NoData:
        return {"skipped": "no round"}
    author = (
        User.objects.filter(username="najaf").first() or User.objects.filter(role="admin").first()
    )
    if author is None:
        return {"skipped": "no demo user"}
    if Report.objects.filter(round_code=rnd.code, author=author).exists():
        return {"reports": Report.objects.count()}
    governorates = list(author.governorates.all()) or list(
        Governorate.objects.filter(pcode="IQG04")
    )
    report = services.create_report(
        author,
        round_code=rnd.code,
        governorates=governorates,
        language="ar",
        story=(
            "استقبلت المحافظة خلال هذه الجولة أسراً نازحة جديدة، معظمها من الأنبار ونينوى. "
            "تقيم أغلب الأسر لدى أقاربها أو في مساكن مستأجرة، "
            "بينما تقيم أسر أخرى في مبانٍ غير مكتملة."
        ),
        quotes="نحتاج إلى مدافئ وبطانيات قبل الشتاء — ربّ أسرة نازحة في حي النور",
        contacts=(
            "مكتب المحافظ — غرفة عمليات النازحين\nالمنظمة الدولية للهجرة — فريق الاستجابة السريعة"
        ),
    )
    ctx.progress(1, 2, "reports")
    services.publish_report(author, report)
    ctx.progress(2, 2, "reports")
    return {"reports": 1, "publications": 1}
