import re
import pytest
from django.urls import reverse
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGES = ["tracking:figures","tracking:rounds","tracking:movements","tracking:alerts","tracking:import",
 "needs:overview","needs:assessments","needs:gaps","needs:import","needs:reference",
 "coordination:activity-list","coordination:matrix","coordination:overlaps","coordination:plan-list",
 "coordination:meeting-list","coordination:contact-list","coordination:training-list","coordination:training-statistics",
 "coordination:notification-list","coordination:activity-add","coordination:meeting-add","coordination:training-add",
 "reports:report-list","reports:dashboard","reports:report-create","reports:library","reports:datasets","reports:schedules",
 "tracking:assessment-new","tracking:movement-new","tracking:rule-new","needs:assessment-create","coordination:plan-add","coordination:contact-add"]

def visible_text(html):
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", "\n", html)
    return [t.strip() for t in html.split("\n") if t.strip()]

def test_pages_in_arabic(client, national_user, reference_geography):
    from amina.core.demo import generate
    generate("small", seed=1)
    client.force_login(national_user)
    client.cookies["django_language"] = "ar"
    out = []
    for name in PAGES:
        with CaptureQueriesContext(connection) as q:
            r = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="ar")
        out.append(f"### {name} {r.status_code} queries={len(q)}")
        if r.status_code == 200:
            for t in visible_text(r.content.decode()):
                if re.search(r"[A-Za-z]{3,}", t) and not re.search(r"[\u0600-\u06FF]", t):
                    out.append("   " + t[:120])
    open("/tmp/arabic_pages.txt", "w").write("\n".join(out))


APIS = ["tracking/rounds", "tracking/assessments", "tracking/summaries", "tracking/movements",
        "tracking/alerts", "needs/assessments", "needs/severity", "needs/sectors", "needs/phases",
        "needs/summary", "coordination/activities", "coordination/plans", "coordination/meetings",
        "coordination/action-points", "coordination/contacts", "coordination/trainings",
        "coordination/participants", "coordination/notifications", "reports/publications",
        "reports/datasets"]
EXPORTS = ["/tracking/export/displacement.csv", "/tracking/export/displacement-summary.xlsx",
           "/needs/export/?format=csv", "/coordination/4w/export/?format=csv",
           "/coordination/4w/export/?format=geojson", "/coordination/4w/map.geojson"]


def test_api_counts(client, national_user, reference_geography):
    from amina.core.demo import generate
    generate("small", seed=1)
    client.force_login(national_user)
    out = []
    for size in ("5", "100"):
        for name in APIS:
            with CaptureQueriesContext(connection) as q:
                r = client.get(f"/api/v1/{name}/?page_size={size}&limit={size}")
            out.append(f"{name} size={size} {r.status_code} q={len(q)} n={len(r.content)}")
    for url in EXPORTS:
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        out.append(f"{url} {r.status_code} q={len(q)} n={len(r.content)}")
    open("/tmp/api_counts.txt", "w").write("\n".join(out))
