import { request, subscribe } from "../api.js";
import { fill, h } from "../dom.js";
import { formatNumber, formatTime, rows, titleCase } from "../format.js";
import { MY_JOBS, MY_JOB_LIST, type JobView } from "../operations.js";
import type { PageContext } from "../router.js";
import { alertBox, heading, navLink, showError } from "../ui.js";

const LIST_SIZE = 20;

function describe(job: JobView): string {
  return job.__typename === "Import"
    ? `Import of ${job.fileName} into ${job.template.name}`
    : `${job.format} export of ${job.template.name}`;
}

function progress(job: JobView): string {
  if (job.status === "CANCELLED") return "nothing was saved";
  if (job.__typename === "Export") return job.status === "COMPLETED" ? rows(job.rowCount ?? 0) : "";
  if (job.status === "PROCESSING") return `${titleCase(job.phase)}, ${rows(job.rowsProcessed)}`;
  if (job.status === "COMPLETED")
    return `${formatNumber(job.rowsImported)} imported, ${formatNumber(job.rowsFailed)} rejected`;
  if (job.status === "NEEDS_REVIEW") return `${formatNumber(job.rowsImported)} ready to import: review the columns`;
  return "";
}

function jobItem(job: JobView): HTMLLIElement {
  return h(
    "li",
    { class: "job", "data-job-id": job.id },
    navLink(`/jobs/${job.id}`, describe(job)),
    h("span", { class: `badge status-${job.status.toLowerCase().replace("_", "-")}` }, titleCase(job.status)),
    h("span", { class: "hint" }, [progress(job), formatTime(job.createdAt)].filter(Boolean).join(" · ")),
  );
}

/**
 * `/jobs`: the person's latest imports and exports, newest first, kept live by `myJobs`; a job
 * started in another tab appears at the top.
 */
export async function myJobsPage({ main, signal }: PageContext): Promise<void> {
  const error = alertBox();
  const list = h("ul", { class: "jobs", "aria-labelledby": "jobs-heading" });
  // one short sentence per change, rather than the whole list read out again
  const announcer = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const title = heading("My jobs");
  title.id = "jobs-heading";
  main.append(title, announcer, error, list);

  const jobs = new Map<string, JobView>();
  const show = (job: JobView, where: "top" | "keep") => {
    jobs.set(job.id, job);
    const existing = list.querySelector(`[data-job-id="${CSS.escape(job.id)}"]`);
    if (existing) existing.replaceWith(jobItem(job));
    else if (where === "top") list.prepend(jobItem(job));
    else list.append(jobItem(job));
  };
  // subscribe first, so a change between the list query and the subscription is not lost
  const buffered: JobView[] = [];
  let listed = false;
  const unsubscribe = subscribe(
    MY_JOBS,
    {},
    {
      next({ myJobs: job }) {
        if (!listed) return void buffered.push(job);
        const old = jobs.get(job.id);
        if (old?.status !== job.status) announcer.textContent = `${describe(job)}: ${titleCase(job.status)}`;
        show(job, "top");
      },
      error: (err) => showError(error, err),
    },
  );
  signal.addEventListener("abort", unsubscribe);

  try {
    const data = await request(MY_JOB_LIST, { first: LIST_SIZE });
    const all: JobView[] = [...data.imports.edges, ...data.exports.edges].map((e) => e.node);
    all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const job of all) show(job, "keep");
  } catch (err) {
    showError(error, err);
  }
  listed = true;
  for (const job of buffered.splice(0)) show(job, "top");
  if (jobs.size === 0) {
    fill(list, h("li", {}, "No jobs yet. ", navLink("/", "Import a spreadsheet"), "."));
  }
}
