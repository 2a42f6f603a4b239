#!/usr/bin/env python3
"""Writes crates/cli/tests/fixtures/claims.jsonl: four stories of the example corpus, as sitrep
stores them, with claims annotated by hand (sitrep has no attribution finder in this build, and
the store and the claims commands must not care where claims come from).

    sitrep ingest examples/corpus --db /tmp/ex.db && sitrep export --db /tmp/ex.db -o /tmp/all.jsonl
    python3 scripts/claims-fixture.py /tmp/all.jsonl crates/cli/tests/fixtures/claims.jsonl

Each claim names its source, cue and content by their text; spans are found in the body (code
points, whole words), the sentence from the document's sentences.
"""
import json, re, sys
docs = {json.loads(l)['id'][:4]: json.loads(l) for l in open(sys.argv[1])}

def find(text, needle, start=0):
    for m in re.finditer(re.escape(needle), text):
        if m.start() < start: continue
        a, b = m.start(), m.end()
        if a>0 and text[a-1].isalnum() and needle[0].isalnum(): continue
        if b<len(text) and text[b].isalnum() and needle[-1].isalnum(): continue
        return a, b
    raise SystemExit(f"not found: {needle!r} from {start}")

WHY = "annotated by hand for the claims fixture (no attribution finder in this build)"

def claim(doc, n, source, cue, content, kind='person', anon=False, acue=None, actor=None,
          same=None, direct='indirect', stance='assert', to=None, conf=0.9, nth=0, after=None):
    t = doc['text']
    content = content.rstrip(',')
    cs, ce = find(t, content, after or 0)
    src = None
    if source:
        start = 0
        for _ in range(nth + 1):
            ss, se = find(t, source, start); start = se
        src = dict(text=source, start=ss, end=se, kind=kind, anonymous=anon, anonymity_cue=acue,
                   actor=dict(code=actor, name=source) if actor else None, same_as=same)
        from_ = se if ss < cs else ce
    else:
        from_ = ce
    ks, ke = find(t, cue, from_)
    sent = next(i for i, s in enumerate(doc['sentences']) if s['start'] <= ks < s['end'])
    lemma = {'said':'say','says':'say','told':'tell','according to':'accord to','denied':'deny',
             'claimed':'claim','reported':'report','say':'say','insist':'insist','accused':'accuse',
             'urged':'urge','called on':'call on'}[cue]
    c = dict(id=f"C{n}", sentence=sent, source=src,
             cue=dict(text=cue, start=ks, end=ke, lemma=lemma),
             content=dict(text=content, start=cs, end=ce), direct=direct, stance=stance,
             recipient=to, time=None, confidence=conf, why=[WHY, f"stance {stance}"])
    doc.setdefault('claims', []).append(c)

# Meridian Press, 4 March: the exclusive.
d = docs['120b']; d['claims'] = []
claim(d,1,"three people familiar with the arrangement","according to","About 300 personnel from the private security company Halvard Group have been deployed to Varnia's Kessel province since late February, under a contract worth around $40 million",kind='person',anon=True,acue="people familiar with",conf=0.92)
claim(d,2,"Two of the sources, a Varnian security official and a Western diplomat","said","the Halvard staff were based at a former army camp outside Brenna and at the Ardeni cobalt mine, about 60 km from the Ostrelian border",kind='official',anon=True,acue="spoke on condition of anonymity",conf=0.88)
claim(d,3,"The security official","said","the contractors' role went beyond training",kind='official',anon=True,conf=0.9)
claim(d,4,"he","said","They go out with our units. They operate drones, they do reconnaissance, and some of them are armed",kind='official',anon=True,same='C3',direct='direct',conf=0.86)
claim(d,5,"He","said","he did not know whether any Halvard staff had been present at Tolvan on the night of the clash",kind='official',anon=True,same='C3',stance='hedge',conf=0.8)
claim(d,6,"The Western diplomat","said","the contractors “may have” provided surveillance support to the Varnian operation near Mirel",kind='official',anon=True,direct='mixed',stance='hedge',conf=0.87)
claim(d,7,"A third source, a person with knowledge of the company's operations","said","the contract was signed in January and covered an initial period of 12 months, with an option to extend",kind='person',anon=True,conf=0.85)
claim(d,8,"The person","said","the deployment was expected to grow to between 400 and 450 people by the summer",kind='person',anon=True,same='C7',conf=0.84)
claim(d,9,"Varnia's Defence Ministry","said","Halvard staff were “instructors” and did not take part in combat",kind='government',direct='mixed',stance='deny',conf=0.9)
claim(d,10,"Ostrelian military intelligence","claimed","“up to 1,000” foreign contractors are now in Varnia",kind='institution',direct='mixed',conf=0.83)
claim(d,11,"the security official","said","Three hundred is about right for now. A thousand is a fantasy",kind='official',anon=True,same='C3',direct='direct',conf=0.91,nth=0)

# The Karsvik Herald, 4 March: the government's denial.
d = docs['1d9c']; d['claims'] = []
claim(d,1,"The government","denied","foreign fighters had taken part in the fighting at Tolvan",kind='government',stance='deny',conf=0.9)
claim(d,2,"Defence Minister Stefan Oradi","told","a “small team” from the Halvard Group was in the country under an agreement to train Varnian special forces and to advise on the protection of critical infrastructure, including the Ardeni cobalt mine in Kessel province",kind='official',direct='mixed',to='parliament',conf=0.93)
claim(d,3,"Oradi","said","These are instructors. They are not deployed in combat, they do not carry out operations and they were nowhere near Tolvan on the night of March 1,",kind='official',same='C2',direct='direct',stance='deny',conf=0.9)
claim(d,4,"He","said","the cost was “less than half of one percent” of the defence budget",kind='official',same='C2',direct='mixed',conf=0.88)
claim(d,5,"Marek Solvi of the Civic Alliance","said","he had seen documents showing the contract was worth $65 million over three years",kind='person',conf=0.9)
claim(d,6,"Solvi","said","Parliament has a right to know who we are paying, and to do what,",kind='person',same='C5',direct='direct',conf=0.89)
claim(d,7,"Sources close to the presidency","said","President Mikael Dravos had been “furious” at what he regarded as the failure of Western governments to condemn the FHM",kind='official',anon=True,acue="sources close to",direct='mixed',conf=0.86)
claim(d,8,"The Free Highlands Movement","said","it had not been involved in the clash",kind='group',stance='deny',conf=0.9)
claim(d,9,"Its spokesman, Emre Kastan","accused","the Varnian army of “inventing a rebel attack to hide its own adventure across the border.”",kind='official',direct='mixed',conf=0.82)

# The Continental Times, 5 March: the analysis.
d = docs['2416']; d['claims'] = []
claim(d,1,"Ostrelian military intelligence","says","“up to 1,000”",kind='institution',direct='direct',conf=0.8)
claim(d,2,"Meridian Press","reported","about 300 are in Kessel province",kind='media',conf=0.88)
claim(d,3,"Two European diplomats who declined to be named","told","“several hundred” Halvard employees had arrived in three or four rotations, and that the figure could rise",kind='official',anon=True,acue="declined to be named",to='The Continental Times',direct='mixed',conf=0.9)
claim(d,4,"The Varnian government","say","a “small team” of instructors is present",kind='government',direct='mixed',conf=0.78)
claim(d,5,"Katarina Voss, a researcher at the Institute for Regional Security in Vienna","said","The army is stretched and its special forces are small. Bringing in Halvard is a shortcut,",kind='person',direct='direct',conf=0.93)
claim(d,6,"Sources close to the Varnian presidency","insist","the company operates under strict rules of engagement and reports to the Defence Ministry",kind='official',anon=True,acue="sources close to",conf=0.87)
claim(d,7,"a former Halvard employee, speaking on condition of anonymity","said","contracts of this kind typically include “force protection” clauses that allow armed staff to accompany local troops",kind='person',anon=True,acue="speaking on condition of anonymity",direct='mixed',conf=0.88)
claim(d,8,"he","said","On paper they are trainers. In practice, if the unit they are training goes out, they go out too,",kind='person',anon=True,same='C7',direct='direct',conf=0.86)
claim(d,9,"Varnia","says","the recordings, which have not been made public, are fabricated",kind='government',stance='deny',conf=0.75)
claim(d,10,"Voss","said","Both capitals have said things this week that are hard to take back,",kind='person',same='C5',direct='direct',conf=0.9)

# Global Wire Service, 6 March: the EU.
d = docs['7f9e']; d['claims'] = []
claim(d,1,"spokesperson Elena Marchetti","told","The use of private military companies in a volatile border area is a matter of serious concern,",kind='official',direct='direct',to='a regular briefing',conf=0.92)
claim(d,2,"She","said","the EU had asked Varnia for “full transparency” about the nature and scale of the deployment",kind='official',same='C1',direct='mixed',conf=0.89)
claim(d,3,"Two EU diplomats, who declined to be named because discussions are confidential","said","several member states had pushed for a stronger statement but that others were reluctant to antagonise Karsvik, an important supplier of cobalt to European battery makers",kind='official',anon=True,acue="declined to be named",conf=0.88)
claim(d,4,"One of the diplomats","said","any sanctions were “weeks, not days” away, if they happened at all",kind='official',anon=True,same='C3',direct='mixed',stance='hedge',conf=0.85)
claim(d,5,"Varnia's foreign ministry","said","it “regrets the EU's readiness to echo unverified Ostrelian claims” and that it would not accept “lectures” on how to defend its citizens against terrorism",kind='government',direct='mixed',conf=0.87)
claim(d,6,"Ostrelian Foreign Minister Corin Albescu","urged","Brussels to go further",kind='official',conf=0.8)
claim(d,7,"he","said","Words of concern are a beginning. We expect action,",kind='official',same='C6',direct='direct',conf=0.88)
claim(d,8,"the United States State Department","called on","both countries to “de-escalate immediately”",kind='government',actor='USAGOV',direct='mixed',conf=0.86)

out = open(sys.argv[2], 'w')
for k in ['120b', '1d9c', '2416', '7f9e']:
    d = docs[k]
    out.write(json.dumps(d, ensure_ascii=False) + '\n')
