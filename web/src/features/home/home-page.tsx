import { Link } from "react-router-dom";
import { useAuth } from "@/lib/auth";
import { Card, NotBuiltYet } from "@/components/ui";

const steps = [
  ["Photograph", "Take a photo of the waste and pick its type."],
  ["Locate", "Your phone's GPS, the photo's own position, or a typed address."],
  ["Dispatch", "The city reviews it and sends a truck; you follow every step."],
  ["Resolved", "You get the after photo when the place is clean."],
];

export function HomePage() {
  const { user } = useAuth();
  const start = user?.role === "admin" ? "/dashboard" : user ? "/user-dashboard" : "/login";
  return (
    <div className="mx-auto max-w-6xl px-4">
      <section className="py-12">
        <h1 className="text-4xl font-bold text-green-900">Waste on your street? Report it in a minute.</h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">
          CleanAI sends your report — photo, type and place — straight to the city&apos;s cleanup crews and
          tells you when it is done.
        </p>
        <Link
          to={start}
          className="mt-6 inline-block rounded-md bg-green-700 px-5 py-3 font-semibold text-white hover:bg-green-800"
        >
          {user ? "Open your page" : "Sign in to report"}
        </Link>
      </section>
      <section aria-labelledby="how" className="grid gap-4 py-6 md:grid-cols-4">
        <h2 id="how" className="sr-only">
          How it works
        </h2>
        {steps.map(([title, text], i) => (
          <Card key={title}>
            <p className="text-sm font-semibold text-green-800">Step {i + 1}</p>
            <h3 className="text-lg font-semibold">{title}</h3>
            <p className="text-slate-700">{text}</p>
          </Card>
        ))}
      </section>
      <Card title="Impact">
        <NotBuiltYet what="Live impact figures (reports filed, resolved, time to resolve)" />
      </Card>
    </div>
  );
}
