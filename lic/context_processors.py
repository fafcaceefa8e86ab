from stakeholders.selectors import person_of


def current_person(request):
    return {"me": person_of(request.user) if hasattr(request, "user") else None}
