// The city operator's dashboard: the reports panel with its actions, the fleet, and the
// panels whose services come later (they say so instead of showing invented numbers).
import { useCallback, useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input, NotBuiltYet, Select, StatusBadge } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { timeAgo } from "@/lib/format";
import { useLiveEvents } from "@/lib/live-events";
import type { Report, ReportStatus } from "@/lib/types";
import { changeStatus, dispatchReport, fetchAdminReports, fetchFleet, keys } from "@/features/reports/api";

const filters: [string, string][] = [
  ["submitted,acknowledged", "Needs action"],
  ["dispatched,in_progress", "Being cleaned"],
  ["resolved,rejected,duplicate", "Closed"],
  ["", "All"],
];

function ActionDialog({
  title,
  trigger,
  children,
  open,
  onOpenChange,
}: {
  title: string;
  trigger: string;
  children: React.ReactNode;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <Button variant="secondary">{trigger}</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 w-[90vw] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="sr-only">{title}</Dialog.Description>
          {children}
          <Dialog.Close asChild>
            <Button variant="secondary" className="mt-3 ml-2">
              Cancel
            </Button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function ReportActions({ report }: { report: Report }) {
  const queryClient = useQueryClient();
  const fleet = useQuery({ queryKey: keys.fleet, queryFn: fetchFleet });
  const [vehicle, setVehicle] = useState("");
  const openDispatch = (o: boolean) => {
    if (o) fleet.refetch();  // vehicles change status while the page is open
    setDispatchOpen(o);
  };
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [dispatchOpen, setDispatchOpen] = useState(false);
  const [rejectOpen, setRejectOpen] = useState(false);
  const done = () => {
    setError("");
    setDispatchOpen(false);
    setRejectOpen(false);
    queryClient.invalidateQueries({ queryKey: ["reports"] });
    queryClient.invalidateQueries({ queryKey: keys.fleet });
  };
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : "The action failed.");
  const status = useMutation({ mutationFn: (body: Record<string, string>) => changeStatus(report.id, body), onSuccess: done, onError: fail });
  const dispatch = useMutation({ mutationFn: () => dispatchReport(vehicle, report.id), onSuccess: done, onError: fail });
  const open: ReportStatus[] = ["submitted", "acknowledged"];
  return (
    <div className="flex flex-wrap gap-2">
      {report.status === "submitted" && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "acknowledged" })}>
          Acknowledge
        </Button>
      )}
      {open.includes(report.status) && (
        <ActionDialog title="Dispatch a vehicle" trigger="Dispatch" open={dispatchOpen} onOpenChange={openDispatch}>
          <Field id={`vehicle-${report.id}`} label="Vehicle">
            <Select id={`vehicle-${report.id}`} value={vehicle} onChange={(e) => setVehicle(e.target.value)}>
              <option value="">Choose…</option>
              {fleet.data?.items
                .filter((v) => v.status === "idle" || v.status === "busy")
                .map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.vehicleNumber} — {v.status}
                    {v.driverName ? `, ${v.driverName}` : ""}
                  </option>
                ))}
            </Select>
          </Field>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button className="mt-3" disabled={!vehicle || dispatch.isPending} onClick={() => dispatch.mutate()}>
            Send this vehicle
          </Button>
        </ActionDialog>
      )}
      {(open.includes(report.status) || report.status === "dispatched") && (
        <ActionDialog title="Reject the report" trigger="Reject" open={rejectOpen} onOpenChange={setRejectOpen}>
          <Field id={`reason-${report.id}`} label="Reason (the citizen will see it)">
            <Input id={`reason-${report.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button variant="danger" className="mt-3" disabled={!reason} onClick={() => status.mutate({ status: "rejected", reason })}>
            Reject
          </Button>
        </ActionDialog>
      )}
      {(report.status === "dispatched" || report.status === "in_progress") && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "resolved" })}>
          Mark resolved
        </Button>
      )}
      {error && !dispatchOpen && !rejectOpen && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </div>
  );
}

function ReportsPanel() {
  const [filter, setFilter] = useState(filters[0][0]);
  const reports = useQuery({ queryKey: keys.adminReports(filter), queryFn: () => fetchAdminReports(filter) });
  return (
    <Card title="Citizen reports" className="md:col-span-2">
      <div role="tablist" aria-label="Filter reports" className="mb-3 flex flex-wrap gap-2">
        {filters.map(([value, label]) => (
          <button
            key={label}
            role="tab"
            aria-selected={filter === value}
            className={`rounded-full px-3 py-1 text-sm ${filter === value ? "bg-green-700 text-white" : "bg-slate-100"}`}
            onClick={() => setFilter(value)}
          >
            {label}
          </button>
        ))}
      </div>
      {reports.isLoading && <p>Loading…</p>}
      {reports.data?.items.length === 0 && <p className="text-sm text-slate-600">No reports here.</p>}
      <ul className="flex flex-col divide-y divide-slate-200" aria-label="Reports">
        {reports.data?.items.map((r) => (
          <li key={r.id} className="flex flex-col gap-2 py-3 sm:flex-row" data-report-id={r.id}>
            <img src={r.thumbnailUrl} alt={`${r.wasteType} waste reported at ${r.location.address}`} className="h-24 w-24 rounded object-cover" />
            <div className="flex flex-1 flex-col gap-1 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-semibold capitalize">{r.wasteType}</span>
                <StatusBadge status={r.status} />
                <span className="text-xs uppercase text-slate-600">priority {r.priority}</span>
                {r.blocksDrain && <span className="text-xs text-rose-800">blocks a drain</span>}
              </div>
              <span>{r.location.address}</span>
              {r.description && <span className="text-slate-700">{r.description}</span>}
              <span className="text-slate-600">
                {timeAgo(r.createdAt)} by {r.reporter?.username ?? "unknown"} · {r.confirmations} confirmations
              </span>
              <ReportActions report={r} />
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function FleetPanel() {
  const fleet = useQuery({ queryKey: keys.fleet, queryFn: fetchFleet });
  return (
    <Card title="Fleet">
      {fleet.data?.items.length === 0 && <p className="text-sm text-slate-600">No vehicles registered.</p>}
      <ul className="flex flex-col gap-2 text-sm">
        {fleet.data?.items.map((v) => (
          <li key={v.id} className="flex justify-between">
            <span>{v.vehicleNumber}</span>
            <span className="capitalize">{v.status}</span>
            <span>
              {v.currentLoad}/{v.capacity}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export default function AdminDashboard() {
  const queryClient = useQueryClient();
  const onEvent = useCallback(() => queryClient.invalidateQueries({ queryKey: ["reports"] }), [queryClient]);
  useLiveEvents(true, onEvent);
  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 md:grid-cols-3">
      <h1 className="text-2xl font-bold md:col-span-3">City dashboard</h1>
      <Card title="Statistics">
        <NotBuiltYet what="Analytics" />
      </Card>
      <Card title="Alerts">
        <NotBuiltYet what="The alerts service" />
      </Card>
      <Card title="Flood risk">
        <NotBuiltYet what="Flood-risk assessment" />
      </Card>
      <ReportsPanel />
      <FleetPanel />
    </div>
  );
}
