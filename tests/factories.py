import factory
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from accounts.models import User
from accounts.roles import Role
from reviews.matters.models import Matter

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, role: Role | None, **kwargs):
        if role:
            self.groups.add(Group.objects.get(name=role.value))
        self.save()


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter

    reference = factory.Sequence(lambda n: f"M-{n:04d}")
    title = factory.Sequence(lambda n: f"Matter {n}")
    owner = factory.SubFactory(UserFactory)


def grant(user_or_group, matter: Matter, permission: str = "view_matter") -> None:
    assign_perm(f"matters.{permission}", user_or_group, matter)
