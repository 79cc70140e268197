from django.views.generic import DetailView, ListView

from reviews.selectors import matter_for_user, matters_for_user


class MatterListView(ListView):
    template_name = "reviews/matter_list.html"
    context_object_name = "matters"
    paginate_by = 50

    def get_queryset(self):
        return matters_for_user(self.request.user)


class MatterDetailView(DetailView):
    template_name = "reviews/matter_detail.html"
    context_object_name = "matter"

    def get_object(self, queryset=None):
        return matter_for_user(self.request.user, self.kwargs["pk"])
