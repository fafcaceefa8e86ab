"""Browser pages for stakeholders. Thin: records come from selectors, writes go to services."""

from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from lic import ratelimit

from . import selectors, services, two_factor
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipForm,
    OrganizationInviteForm,
    OrganizationNoteForm,
    ProfileForm,
    SectorForm,
    TwoFactorCodeForm,
)
from .models import OrganizationNote, Person


def community_page(view):
    """Sign-in required; the slug must be the viewer's own community (else 404). The page reads
    and shows dates and times in the community's time zone."""

    @login_required
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        community = selectors.community_of(request.user, slug)
        with timezone.override(community.timezone):
            return view(request, community, *args, **kwargs)

    return wrapper


def onboarding_page(view):
    """Only administrators and coordinators onboard; for anyone else the page does not exist."""

    @community_page
    @wraps(view)
    def wrapper(request, community, *args, **kwargs):
        if not selectors.person_of(request.user).can_onboard:
            raise Http404
        return view(request, community, *args, **kwargs)

    return wrapper


def coordinators_page(view):
    """Pages for the community's coordinators; for anyone else they do not exist."""

    @community_page
    @wraps(view)
    def wrapper(request, community, *args, **kwargs):
        if not selectors.person_of(request.user).is_coordinator:
            raise Http404
        return view(request, community, *args, **kwargs)

    return wrapper


def add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    person = selectors.person_of(request.user)
    if person is None:
        return render(request, "stakeholders/no_community.html")
    return redirect("community-home", slug=person.community.slug)


@community_page
def stakeholder_map(request, community):
    return render(
        request,
        "stakeholders/stakeholder_map.html",
        {"community": community, "rows": selectors.stakeholder_map(request.user)},
    )


@community_page
def organization_detail(request, community, pk):
    organization = selectors.organizations_for(request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    me = selectors.person_of(request.user)
    form = None
    if me.is_committee_member:
        form = OrganizationNoteForm(request.POST or None, author=me, record_type=OrganizationNote)
        if request.method == "POST" and form.is_valid():
            try:
                services.write_organization_note(
                    author=me,
                    organization=organization,
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"],
                    sectors=form.cleaned_data["visible_sectors"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("Your note is saved."))
                return redirect("organization-detail", slug=community.slug, pk=organization.pk)
    elif request.method == "POST":
        raise Http404
    notes = selectors.organization_notes_for(request.user).filter(organization=organization)
    return render(
        request,
        "stakeholders/organization_detail.html",
        {"community": community, "organization": organization, "notes": notes, "form": form},
    )


@community_page
def note_list(request, community):
    notes = selectors.organization_notes_for(request.user).filter(community=community)
    return render(request, "stakeholders/note_list.html", {"community": community, "notes": notes})


@community_page
def note_detail(request, community, pk):
    note = selectors.get_visible(
        request.user, selectors.organization_notes_for(request.user), pk=pk
    )
    return render(request, "stakeholders/note_detail.html", {"community": community, "note": note})


@community_page
def people_list(request, community):
    return render(
        request,
        "stakeholders/people_list.html",
        {
            "community": community,
            "people": selectors.people_for(request.user),
            "closed": selectors.closed_accounts_for(request.user),
        },
    )


def _person_or_404(request, pk) -> Person:
    """Someone of the viewer's community with an open account."""
    person = selectors.people_for(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@community_page
def person_detail(request, community, pk):
    person = _person_or_404(request, pk)
    return _person_page(request, community, person)


def _person_page(request, community, person, membership_form=None, status=200):
    me = selectors.person_of(request.user)
    if membership_form is None and me.is_coordinator and me.pk != person.pk:
        membership_form = _membership_form(request, person)
    return render(
        request,
        "stakeholders/person_detail.html",
        {
            "community": community,
            "person": person,
            "show_contact": selectors.can_see_contact(request.user, person),
            "sign_in_paused": me.is_coordinator and selectors.sign_in_paused(person),
            "membership_form": membership_form,
        },
        status=status,
    )


def _membership_form(request, person, data=None) -> MembershipForm:
    return MembershipForm(
        data,
        sectors=selectors.sectors_for(request.user),
        organizations=selectors.organizations_for(request.user).order_by("name"),
        initial={
            "role": person.role,
            "organization": person.organization_id,
            "sectors": [sector.pk for sector in person.sectors.all()],
        },
        prefix="membership",
    )


@require_POST
@coordinators_page
def person_membership(request, community, pk):
    person = _person_or_404(request, pk)
    form = _membership_form(request, person, request.POST)
    if form.is_valid():
        closing = form.cleaned_data["close_account"]
        try:
            services.update_membership(
                actor=selectors.person_of(request.user),
                person=person,
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                sectors=form.cleaned_data["sectors"],
                is_active=False if closing else None,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            if closing:
                messages.success(
                    request, _("%(name)s's account is closed.") % {"name": person.display_name}
                )
                return redirect("people-list", slug=community.slug)
            messages.success(
                request, _("%(name)s's membership is saved.") % {"name": person.display_name}
            )
            return redirect("person-detail", slug=community.slug, pk=person.pk)
    return _person_page(request, community, person, membership_form=form, status=400)


@require_POST
@coordinators_page
def person_reopen(request, community, pk):
    person = selectors.closed_accounts_for(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    services.update_membership(
        actor=selectors.person_of(request.user), person=person, is_active=True
    )
    messages.success(
        request, _("%(name)s's account is open again.") % {"name": person.display_name}
    )
    return redirect("person-detail", slug=community.slug, pk=person.pk)


@require_POST
@coordinators_page
def person_unpause(request, community, pk):
    person = _person_or_404(request, pk)
    services.lift_sign_in_pause(actor=selectors.person_of(request.user), person=person)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person.display_name})
    return redirect("person-detail", slug=community.slug, pk=person.pk)


@onboarding_page
def onboarding(request, community):
    me = selectors.person_of(request.user)
    sectors = selectors.sectors_for(request.user)
    organizations = selectors.organizations_for(request.user).order_by("name")
    organization_form = OrganizationInviteForm(
        request.POST if "register" in request.POST else None,
        sectors=sectors,
        prefix="org",
        initial={"language": request.LANGUAGE_CODE},
    )
    invitation_form = InvitationForm(
        request.POST if "invite" in request.POST else None,
        sectors=sectors,
        organizations=organizations,
        prefix="inv",
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST":
        done = (
            _register_and_invite(me, organization_form)
            if "register" in request.POST
            else (_invite(me, invitation_form))
        )
        if done:
            messages.success(request, done)
            return redirect("onboarding", slug=community.slug)
    return render(
        request,
        "stakeholders/onboarding.html",
        {
            "community": community,
            "organization_form": organization_form,
            "invitation_form": invitation_form,
            "organizations": organizations,
            "invitations": selectors.invitations_for(request.user),
        },
    )


def _register_and_invite(me, form) -> str | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        with transaction.atomic():
            organization = services.register_organization(
                actor=me, sector=data["sector"], name=data["name"], description=data["description"]
            )
            services.invite_person(
                actor=me,
                email=data["contact_email"],
                display_name=data["contact_name"],
                organization=organization,
                sectors=[data["sector"]],
                language=data["language"],
            )
    except ValidationError as error:
        add_form_errors(form, error)
        return None
    return _("%(name)s is registered and its contact is invited.") % {"name": organization.name}


def _invite(me, form) -> str | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        services.invite_person(
            actor=me,
            email=data["email"],
            display_name=data["display_name"],
            organization=data["organization"],
            sectors=data["sectors"],
            role=data["role"],
            language=data["language"],
        )
    except ValidationError as error:
        add_form_errors(form, error)
        return None
    return _("The invitation is on its way to %(email)s.") % {"email": data["email"]}


@require_POST
@onboarding_page
def invitation_revoke(request, community, pk):
    invitation = selectors.invitations_for(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    try:
        services.revoke_invitation(actor=selectors.person_of(request.user), invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is revoked; its link no longer works."))
    return redirect("onboarding", slug=community.slug)


@require_POST
@onboarding_page
def invitation_resend(request, community, pk):
    invitation = selectors.invitations_for(request.user).filter(pk=pk).first()
    if invitation is None or invitation.state != "open":
        raise Http404
    if services.enqueue_invitation_email(invitation):
        messages.success(request, _("The invitation email is on its way again."))
    else:
        messages.error(
            request, _("The email could not be sent just now. Please try again in a few minutes.")
        )
    return redirect("onboarding", slug=community.slug)


@ratelimit.limited(ratelimit.INVITATIONS, who=ratelimit.per_address, methods=("GET", "POST"))
def invitation_accept(request, token):
    """The link in the invitation email. A bad, used, revoked or expired link shows a clear
    page and changes nothing."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationInvalid as invalid:
        status = 404 if invalid.reason == services.InvitationInvalid.UNKNOWN else 410
        return render(
            request,
            "stakeholders/invitation_invalid.html",
            {"reason": invalid.reason},
            status=status,
        )
    form = AcceptInvitationForm(
        request.POST or None,
        initial={
            "display_name": invitation.display_name,
            "preferred_language": invitation.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.accept_invitation(
                token=token,
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                preferred_language=data["preferred_language"],
            )
        except services.InvitationInvalid as invalid:
            return render(
                request,
                "stakeholders/invitation_invalid.html",
                {"reason": invalid.reason},
                status=410,
            )
        except ValidationError as error:
            if "password" in getattr(error, "error_dict", {}):
                error.error_dict["password1"] = error.error_dict.pop("password")
            add_form_errors(form, error)
        else:
            login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
            # The sentence ends with its own full stop, not a second one after "Lee Q.".
            name = person.display_name.rstrip(".")
            messages.success(request, _("Welcome to the committee, %(name)s.") % {"name": name})
            return redirect("community-home", slug=person.community.slug)
    return render(
        request, "stakeholders/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@coordinators_page
def sector_list(request, community):
    """Coordinators rename the model's sectors for their community, decide which must be
    represented, and add their own."""
    me = selectors.person_of(request.user)
    sectors = list(selectors.sectors_for(request.user).order_by("position", "name"))
    editing = None
    if request.method == "POST":
        editing = next((s for s in sectors if str(s.pk) == request.POST.get("sector")), None)
        if request.POST.get("sector") and editing is None:
            raise Http404
        form = SectorForm(request.POST, prefix=f"s{editing.pk}" if editing else "new")
        if form.is_valid():
            try:
                services.save_sector(
                    actor=me,
                    sector=editing,
                    name=form.cleaned_data["name"],
                    name_fr=form.cleaned_data["name_fr"],
                    is_required=form.cleaned_data["is_required"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The sectors are saved."))
                return redirect("sector-list", slug=community.slug)
    rows = [
        (
            sector,
            form
            if editing is not None and editing.pk == sector.pk
            else SectorForm(
                prefix=f"s{sector.pk}",
                initial={
                    "name": sector.name,
                    "name_fr": sector.name_fr,
                    "is_required": sector.is_required,
                },
            ),
        )
        for sector in sectors
    ]
    new_form = form if request.method == "POST" and editing is None else SectorForm(prefix="new")
    return render(
        request,
        "stakeholders/sector_list.html",
        {"community": community, "rows": rows, "new_form": new_form},
    )


@community_page
def my_profile(request, community):
    me = selectors.person_of(request.user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": me.display_name,
            "email": me.email,
            "phone": me.phone,
            "preferred_language": me.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person=me, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            translation.activate(me.preferred_language)
            messages.success(request, _("Your profile is saved."))
            return redirect("my-profile", slug=community.slug)
    return render(
        request,
        "stakeholders/my_profile.html",
        {
            "community": community,
            "form": form,
            "two_factor_on": selectors.has_two_factor(request.user),
            "two_factor_required": selectors.two_factor_required(request.user),
            "renew_form": TwoFactorCodeForm(prefix="renew"),
            "off_form": TwoFactorCodeForm(prefix="off"),
        },
    )


# --- signed-in sessions and password -----------------------------------------------------------


@community_page
def my_sessions(request, community):
    current = request.session.session_key
    sessions = [
        (session, session.session_key == current)
        for session in selectors.account_sessions_for(request.user)
    ]
    return render(
        request,
        "stakeholders/my_sessions.html",
        {"community": community, "sessions": sessions},
    )


@require_POST
@community_page
def my_session_end(request, community, pk):
    session = selectors.account_sessions_for(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    if session.session_key == request.session.session_key:
        logout(request)
        messages.success(request, _("You are signed out."))
        return redirect("login")
    services.end_session(person=selectors.person_of(request.user), session=session)
    messages.success(request, _("That session is signed out."))
    return redirect("my-sessions", slug=community.slug)


@require_POST
@community_page
def my_sessions_end_others(request, community):
    ended = services.end_sessions(
        person=selectors.person_of(request.user), keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext(
            "%(count)s other session is signed out, and your API token no longer works.",
            "%(count)s other sessions are signed out, and your API token no longer works.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("my-sessions", slug=community.slug)


@require_POST
@community_page
def my_sessions_end_all(request, community):
    services.end_sessions(person=selectors.person_of(request.user))
    logout(request)
    messages.success(request, _("You are signed out everywhere, and your API token is ended."))
    return redirect("login")


@community_page
def my_password(request, community):
    me = selectors.person_of(request.user)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.change_password(
                person=me,
                password=form.cleaned_data["new_password1"],
                keep_session_key=request.session.session_key,
            )
            update_session_auth_hash(request, me.user)
            messages.success(
                request, _("Your password is changed. You are signed out everywhere else.")
            )
            return redirect("my-profile", slug=community.slug)
        if "old_password" in form.errors and _failed_check(request):
            return redirect("login")
    return render(
        request, "stakeholders/password_change.html", {"community": community, "form": form}
    )


# --- two-step sign-in --------------------------------------------------------------------------

CODE_ATTEMPTS_KEY = "lic_wrong_codes"


def _failed_check(request) -> bool:
    """A wrong code (or current password) counts as a failed sign-in for the lockout, and after
    TWO_FACTOR_CODE_ATTEMPTS of them in one session, or once the account is paused, the session
    is signed out. True when it was."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": request.user.get_username()},
        request=request,
    )
    attempts = request.session.get(CODE_ATTEMPTS_KEY, 0) + 1
    request.session[CODE_ATTEMPTS_KEY] = attempts
    if attempts < settings.TWO_FACTOR_CODE_ATTEMPTS and not getattr(
        request, "axes_locked_out", False
    ):
        return False
    logout(request)
    messages.error(request, _("Too many wrong tries: you are signed out. Please sign in again."))
    return True


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _profile_url(user) -> str:
    person = selectors.person_of(user)
    return reverse("my-profile", args=[person.community.slug]) if person else reverse("home")


def _verified(request, device) -> None:
    """The session has given its code: it is a new session from here on (a new key)."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(CODE_ATTEMPTS_KEY, None)


def _recovery_codes_page(request, codes: list[str], continue_url: str):
    response = render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "continue_url": continue_url},
    )
    add_never_cache_headers(response)
    return response


@login_required
def two_factor_verify(request):
    """After the password, the code from the person's app (or one of their recovery codes)."""
    if selectors.two_factor_step(request.user) != selectors.VERIFY:
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)s is left. "
                        "You can make new ones from your profile.",
                        "You used a recovery code: %(count)s are left. "
                        "You can make new ones from your profile.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        if _failed_check(request):
            return redirect("login")
        form.add_error(
            "code",
            _("That code did not work. If you typed it right, wait a few seconds and try again."),
        )
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "me": None,  # no navigation until the code is given
        },
    )


@login_required
def two_factor_setup(request):
    """Turn two-step sign-in on: scan the QR code (or type the secret) into an authenticator
    app, confirm with its first code, then keep the recovery codes shown once."""
    user = request.user
    step = selectors.two_factor_step(user)
    if step == selectors.VERIFY:
        return redirect("two-factor-verify")
    if selectors.has_two_factor(user):
        messages.info(request, _("Two-step sign-in is already on."))
        return redirect(_profile_url(user))
    device = two_factor.app_being_set_up(user)
    form = TwoFactorCodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_app(user=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            device.refresh_from_db()
            _verified(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return _recovery_codes_page(request, codes, _next_url(request))
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", svgclass="qr", title=_("QR code for your app")
    )
    response = render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            # segno's SVG of our own otpauth:// address: no text of anyone's in it.
            "qr_code": mark_safe(qr_code),  # noqa: S308  # nosec B308 B703
            "secret": two_factor.readable_secret(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": step == selectors.SET_UP,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            **({"me": None} if step == selectors.SET_UP else {}),
        },
    )
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def two_factor_recovery_codes(request):
    """New recovery codes for a current code; the old ones stop working."""
    form = TwoFactorCodeForm(request.POST, prefix="renew")
    if not form.is_valid():
        messages.error(request, _("Enter a code from your authenticator app."))
        return redirect(_profile_url(request.user))
    try:
        codes = two_factor.new_recovery_codes(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as error:
        if _wrong_code(request, error):
            return redirect("login")
        messages.error(request, " ".join(error.messages))
        return redirect(_profile_url(request.user))
    return _recovery_codes_page(request, codes, _profile_url(request.user))


@require_POST
@login_required
def two_factor_off(request):
    form = TwoFactorCodeForm(request.POST, prefix="off")
    if not form.is_valid():
        messages.error(request, _("Enter a code from your authenticator app."))
        return redirect(_profile_url(request.user))
    try:
        two_factor.turn_off(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as error:
        if _wrong_code(request, error):
            return redirect("login")
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect(_profile_url(request.user))


def _wrong_code(request, error: ValidationError) -> bool:
    """Count the error if it is a wrong code; True when the session was signed out for it."""
    return "code" in getattr(error, "error_dict", {}) and _failed_check(request)
