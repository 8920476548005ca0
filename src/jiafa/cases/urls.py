from django.urls import path

from jiafa.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/step/<str:action>/", views.case_step, name="step"),
    path("<int:case_id>/evidence/", views.case_evidence, name="evidence"),
    path("<int:case_id>/remedies/", views.case_remedy, name="remedy"),
    path("remedies/<int:remedy_id>/result/", views.case_remedy_result, name="remedy_result"),
    path("documents/<int:doc_id>/", views.document_print, name="document"),
    path("documents/<int:doc_id>/docx/", views.document_docx, name="document_docx"),
]
