"""One plain-data shape of a role-fit explanation, for the API and `tandem rolefit --format
json`."""

from tandem.people.services import Explanation


def explanation_data(e: Explanation) -> dict:
    return {
        "token": str(e.result.token),
        "questionnaire_version": e.result.questionnaire.version,
        "leaning": e.score.leaning or None,
        "clarity": str(e.score.clarity),
        "kam_points": e.score.kam_points,
        "sales_manager_points": e.score.sales_manager_points,
        "lean": float(e.score.lean),
        "headline": str(e.headline),
        "no_better_role": str(e.no_better_role),
        "contributions": [
            {
                "question": c.question.code,
                "question_text": c.question.label,
                "answer": c.option.code,
                "answer_text": c.option.label,
                "kam_points": c.option.kam_points,
                "sales_manager_points": c.option.sales_manager_points,
                "points_to": c.points_to or None,
                "reason": c.option.reason_label,
            }
            for c in e.contributions
        ],
        "roles": [
            {
                "role": str(role),
                "competencies_to_develop": [
                    {"code": c.code, "name": c.label} for c in e.competencies.get(role, [])
                ],
                "path": [
                    {
                        "code": step.code,
                        "name": step.label,
                        "years_from": step.years_from,
                        "years_to": step.years_to,
                    }
                    for step in e.paths.get(role, [])
                ],
            }
            for role in e.roles
        ],
    }
