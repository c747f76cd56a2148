{{- define "prescale.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "prescale.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "prescale.labels" -}}
{{ include "prescale.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "prescale.serviceAccountName" -}}
{{- default (include "prescale.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "prescale.watchNamespace" -}}
{{- default .Release.Namespace .Values.rbac.watchNamespace -}}
{{- end -}}

{{/* The rules the controller needs: examples/operator/rbac.yaml's ClusterRole prescale-operator, kept equal by the e2e suite. */}}
{{- define "prescale.rules" -}}
- apiGroups: [autoscaling.prescale.dev]
  resources: [podautoscalers]
  verbs: [list, watch]
- apiGroups: [autoscaling.prescale.dev]
  resources: [podautoscalers/status]
  verbs: [patch]
- apiGroups: [apps]
  resources: [deployments/scale, statefulsets/scale, replicasets/scale]
  verbs: [get, patch]
- apiGroups: ['']
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create]
- apiGroups: ['']
  resources: [configmaps]
  verbs: [get]
{{- end -}}

{{/* Secrets named by authSecretRef: rbac.yaml's prescale-operator-credentials, kept equal by the e2e suite. */}}
{{- define "prescale.credentialRules" -}}
- apiGroups: ['']
  resources: [secrets]
  verbs: [get]
{{- end -}}
