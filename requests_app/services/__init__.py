"""Every write on requests: intake at the window (``intake``) and the workflow (``workflow``)."""

from requests_app.services.intake import (
    POWER_OF_ATTORNEY,
    CitizenInput,
    IntakeInput,
    citizen_contact_change,
    receipt_number_allocate,
    receipt_print_record,
    service_request_submit,
)
from requests_app.services.workflow import (
    WorkflowError,
    service_request_approve,
    service_request_assign,
    service_request_cancel,
    service_request_deliver,
    service_request_forward,
    service_request_issue,
    service_request_reject,
    service_request_request_info,
    service_request_resubmit,
    service_request_return,
    service_request_route,
    service_request_take_next,
)

__all__ = [
    "POWER_OF_ATTORNEY",
    "CitizenInput",
    "IntakeInput",
    "citizen_contact_change",
    "WorkflowError",
    "receipt_number_allocate",
    "receipt_print_record",
    "service_request_approve",
    "service_request_assign",
    "service_request_cancel",
    "service_request_deliver",
    "service_request_forward",
    "service_request_issue",
    "service_request_reject",
    "service_request_request_info",
    "service_request_resubmit",
    "service_request_return",
    "service_request_route",
    "service_request_submit",
    "service_request_take_next",
]
