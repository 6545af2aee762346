import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/unsubscribe")
def unsubscribe():
    email = request.args.get("email")
    db = sqlite3.connect("users.db")
    cursor = db.cursor()
    cursor.execute("DELETE FROM subscribers WHERE email = '" + email + "'")
    db.commit()
    db.close()
    return "unsubscribed " + email
