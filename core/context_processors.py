from core.selectors import site_header


def site(request) -> dict:
    return {"site": site_header()}
